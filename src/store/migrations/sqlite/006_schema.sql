-- The SQLite store's schema: the tables of the Postgres migrations 001-006 as they stand after 006
-- (see ../NNN_*.sql for what each column means), written once for SQLite. A later migration is added to
-- both folders under the same number.
--
-- Types: timestamps are ISO 8601 UTC text with milliseconds (the adapter returns columns declared
-- `timestamptz` as Date); JSON is text (columns declared `jsonb` are returned parsed); ids from
-- AUTOINCREMENT are never reused, as a bigserial's.

CREATE TABLE bus_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id     text NOT NULL UNIQUE,
  topic        text NOT NULL,
  key          text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  locked_by    text,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at  timestamptz
);
CREATE INDEX bus_events_pending ON bus_events (topic, key, seq) WHERE status = 'pending';
CREATE INDEX bus_events_finished ON bus_events (finished_at) WHERE status <> 'pending';

CREATE TABLE dead_letters (
  id          text PRIMARY KEY,
  event_id    text,
  type        text,
  instance_id text,
  reason      text NOT NULL,
  error       text NOT NULL,
  attempts    integer NOT NULL,
  payload     jsonb NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}',
  dead_at     timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  redriven_at timestamptz
);
CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at DESC);
CREATE INDEX dead_letters_redriven ON dead_letters (redriven_at) WHERE redriven_at IS NOT NULL;

CREATE TABLE accepted_events (
  event_id    text PRIMARY KEY,
  accepted_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX accepted_events_accepted_at ON accepted_events (accepted_at);

CREATE TABLE processed_events (
  event_id     text NOT NULL,
  handler      text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (event_id, handler)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

CREATE TABLE agent_runs (
  id               text PRIMARY KEY,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  instance_id      text NOT NULL,
  handler          text NOT NULL,
  model            text NOT NULL,
  mode             text NOT NULL,
  attempt          integer NOT NULL,
  status           text NOT NULL,
  steps            integer NOT NULL DEFAULT 0,
  input_tokens     integer NOT NULL DEFAULT 0,
  output_tokens    integer NOT NULL DEFAULT 0,
  tool_calls       integer NOT NULL DEFAULT 0,
  duration_ms      integer,
  error            text,
  summary          text,
  started_at       timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at      timestamptz,
  writes_executed  integer NOT NULL DEFAULT 0,
  writes_simulated integer NOT NULL DEFAULT 0,
  writes_parked    integer NOT NULL DEFAULT 0,
  writes_unknown   integer NOT NULL DEFAULT 0,
  writes_refused   integer NOT NULL DEFAULT 0,
  writes_failed    integer NOT NULL DEFAULT 0
);
CREATE INDEX agent_runs_event ON agent_runs (event_id, handler);
CREATE INDEX agent_runs_started ON agent_runs (started_at DESC);

CREATE TABLE tool_calls (
  id              text PRIMARY KEY,
  run_id          text NOT NULL REFERENCES agent_runs (id),
  seq             integer NOT NULL,
  event_id        text NOT NULL,
  handler         text NOT NULL,
  instance_id     text NOT NULL,
  tool            text NOT NULL,
  access          text NOT NULL,
  arguments       jsonb,
  result          jsonb,
  status          text NOT NULL,
  idempotency_key text,
  wix_request_id  text,
  duration_ms     integer,
  error           text,
  decided_by      text,
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  owner           text,
  owner_seen_at   timestamptz,
  sent_at         timestamptz
);
CREATE INDEX tool_calls_run ON tool_calls (run_id, seq);
CREATE INDEX tool_calls_event ON tool_calls (event_id, handler, tool);
CREATE UNIQUE INDEX tool_calls_write_once ON tool_calls (idempotency_key)
  WHERE status IN ('started', 'executed', 'simulated', 'pending', 'unknown', 'rejected');
CREATE INDEX tool_calls_waiting ON tool_calls (created_at) WHERE status IN ('pending', 'unknown');
CREATE INDEX tool_calls_started ON tool_calls (owner_seen_at) WHERE status = 'started';

CREATE TABLE mcp_tokens (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  secret_hash  text NOT NULL UNIQUE,
  hint         text NOT NULL,
  methods      jsonb NOT NULL,
  tags         jsonb NOT NULL,
  tools        jsonb NOT NULL,
  sites        jsonb NOT NULL,
  mode         text NOT NULL,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE UNIQUE INDEX mcp_tokens_active_name ON mcp_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE webhook_arrivals (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at timestamptz NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  outcome     text NOT NULL,
  event_id    text,
  event_type  text,
  type        text,
  instance_id text,
  detail      text,
  event       jsonb
);
CREATE INDEX webhook_arrivals_event ON webhook_arrivals (event_id);
