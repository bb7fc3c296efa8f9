-- The console's arrivals log: every webhook the ingress answered, with its outcome (published,
-- duplicate, ignored, dead_lettered, unauthorized, unavailable), bounded to the most recent rows.
-- Owned by src/console/arrivals.ts; nothing else reads or writes it.
CREATE TABLE webhook_arrivals (
  id          bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  outcome     text NOT NULL,
  event_id    text,
  event_type  text,            -- Wix event type, e.g. wix.ecom.v1.order_created
  type        text,            -- bus type (order_created, ...) when routed
  instance_id text,            -- the site
  detail      text,            -- why: the refusal reason or validation error
  event       jsonb            -- the decoded event (or the dead-lettered envelope), clipped when large
);
CREATE INDEX webhook_arrivals_event ON webhook_arrivals (event_id);
