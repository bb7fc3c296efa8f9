-- The embedded bus: a durable queue. One row per accepted Wix event (event_id unique = ingress dedupe).
CREATE TABLE bus_events (
  seq          bigserial PRIMARY KEY,
  event_id     text NOT NULL UNIQUE,
  topic        text NOT NULL,
  key          text NOT NULL,            -- instanceId: events of one key are delivered in seq order
  payload      jsonb NOT NULL,           -- the bus event
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  locked_by    text,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX bus_events_pending ON bus_events (topic, key, seq) WHERE status = 'pending';

-- Dead letters of the embedded bus, and of the ingress (valid signature, invalid envelope).
CREATE TABLE dead_letters (
  id          text PRIMARY KEY,
  event_id    text,
  type        text,
  instance_id text,
  reason      text NOT NULL,
  error       text NOT NULL,
  attempts    integer NOT NULL,
  payload     jsonb NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}'::jsonb,
  dead_at     timestamptz NOT NULL DEFAULT now(),
  redriven_at timestamptz
);
CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at DESC);

-- Ingress dedupe when the bus is Kafka: event ids already acknowledged to Wix.
CREATE TABLE accepted_events (
  event_id    text PRIMARY KEY,
  accepted_at timestamptz NOT NULL DEFAULT now()
);

-- Consumer idempotency: a handler that finished an event never runs it again.
CREATE TABLE processed_events (
  event_id     text NOT NULL,
  handler      text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, handler)
);
