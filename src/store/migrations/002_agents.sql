-- Audit of agent runs: one row per handler run on an event (a retried event gets a new run).
CREATE TABLE agent_runs (
  id            text PRIMARY KEY,
  event_id      text NOT NULL,
  event_type    text NOT NULL,
  instance_id   text NOT NULL,
  handler       text NOT NULL,
  model         text NOT NULL,
  mode          text NOT NULL,       -- live | dry-run | approval
  attempt       integer NOT NULL,
  status        text NOT NULL,       -- running | succeeded | limited | failed
  steps         integer NOT NULL DEFAULT 0,
  input_tokens  integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  tool_calls    integer NOT NULL DEFAULT 0,
  duration_ms   integer,
  error         text,
  summary       text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX agent_runs_event ON agent_runs (event_id, handler);
CREATE INDEX agent_runs_started ON agent_runs (started_at DESC);

-- Every tool call a model asked for, allowed or not.
CREATE TABLE tool_calls (
  id              text PRIMARY KEY,
  run_id          text NOT NULL REFERENCES agent_runs (id),
  seq             integer NOT NULL,
  event_id        text NOT NULL,
  handler         text NOT NULL,
  instance_id     text NOT NULL,
  tool            text NOT NULL,
  access          text NOT NULL,     -- read | write | unknown (a tool the handler does not declare)
  arguments       jsonb,
  result          jsonb,
  -- started (sent to Wix, answer not recorded yet) | executed | simulated (dry-run) | pending (awaiting approval) | approved (being executed) | rejected | failed
  -- | refused (not declared, invalid, over budget or outside the handler's purpose) | deduplicated
  status          text NOT NULL,
  idempotency_key text,
  wix_request_id  text,
  duration_ms     integer,
  error           text,
  decided_by      text,
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tool_calls_run ON tool_calls (run_id, seq);
CREATE INDEX tool_calls_event ON tool_calls (event_id, handler, tool);
CREATE INDEX tool_calls_pending ON tool_calls (created_at) WHERE status = 'pending';
-- One write per idempotency key ever reaches Wix, is simulated, awaits approval or was rejected.
CREATE UNIQUE INDEX tool_calls_write_once ON tool_calls (idempotency_key)
  WHERE status IN ('started', 'executed', 'simulated', 'pending', 'approved', 'rejected');
