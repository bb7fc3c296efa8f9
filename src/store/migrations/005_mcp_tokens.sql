-- Scoped, expiring, revocable tokens for MCP clients (ChatGPT, Claude, Cursor) and agent frameworks.
-- The secret itself is never stored: only its SHA-256 (the secret is 256 random bits, so a plain hash is enough).
CREATE TABLE mcp_tokens (
  id          text PRIMARY KEY,
  name        text NOT NULL,            -- the actor in the audit trail (tool_calls.handler = 'mcp:<name>')
  secret_hash text NOT NULL UNIQUE,     -- hex SHA-256 of the secret
  hint        text NOT NULL,            -- the secret's first characters, to recognise it in lists
  methods     jsonb NOT NULL,           -- ["read"] | ["write"] | ["read","write"]
  tags        jsonb NOT NULL,           -- tool tags in scope, [] = not filtered by tag
  tools       jsonb NOT NULL,           -- tool names in scope, [] = not filtered by name
  sites       jsonb NOT NULL,           -- instance ids the token may act on (at least one)
  mode        text NOT NULL,            -- live | dry-run | approval (AGENT_MODE stays the ceiling)
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  last_used_at timestamptz
);
-- One live token per name, so the audit's actor is unambiguous; a revoked name may be reused.
CREATE UNIQUE INDEX mcp_tokens_active_name ON mcp_tokens (name) WHERE revoked_at IS NULL;
