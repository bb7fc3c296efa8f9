-- The write journal gets an owner: a `started` write names the process that sends it, which renews
-- `owner_seen_at` while the request is in flight. Another run treats the write as in flight while the
-- owner is alive (seen within the owner TTL) and settles it only after that.
ALTER TABLE tool_calls ADD COLUMN owner text;
ALTER TABLE tool_calls ADD COLUMN owner_seen_at timestamptz;
-- When the request was sent (for an outcome-unknown write: what a person reads to check Wix).
ALTER TABLE tool_calls ADD COLUMN sent_at timestamptz;

-- `approved` (an approved write being sent) is now `started` like any other write: rows left in it by a
-- crash have no live owner and are settled on the next start.
UPDATE tool_calls SET status = 'started' WHERE status = 'approved';

-- `unknown`: the write may have reached Wix and could not be looked up; parked for a person.
DROP INDEX tool_calls_write_once;
CREATE UNIQUE INDEX tool_calls_write_once ON tool_calls (idempotency_key)
  WHERE status IN ('started', 'executed', 'simulated', 'pending', 'unknown', 'rejected');
DROP INDEX tool_calls_pending;
CREATE INDEX tool_calls_waiting ON tool_calls (created_at) WHERE status IN ('pending', 'unknown');
CREATE INDEX tool_calls_started ON tool_calls (owner_seen_at) WHERE status = 'started';

-- What the run's writes came to (see src/agents/README.md, "Run status").
ALTER TABLE agent_runs ADD COLUMN writes_executed integer NOT NULL DEFAULT 0;
ALTER TABLE agent_runs ADD COLUMN writes_simulated integer NOT NULL DEFAULT 0;
ALTER TABLE agent_runs ADD COLUMN writes_parked integer NOT NULL DEFAULT 0;
ALTER TABLE agent_runs ADD COLUMN writes_unknown integer NOT NULL DEFAULT 0;
ALTER TABLE agent_runs ADD COLUMN writes_refused integer NOT NULL DEFAULT 0;
ALTER TABLE agent_runs ADD COLUMN writes_failed integer NOT NULL DEFAULT 0;
