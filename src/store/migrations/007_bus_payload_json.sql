-- The embedded bus's payload as json, not jsonb: nothing queries inside it (consumers read it whole),
-- and jsonb made Postgres parse every event into its binary form on insert and print it back out on
-- each claim. json only checks the text is valid JSON and stores it as sent. With lz4 for the TOAST
-- compression of these 5-20 KB rows where the server has it (PostgreSQL 14+ built with lz4, as
-- Debian's, the official images' and the big clouds' are); a server without it keeps pglz.
-- Measured on a 2-core VM (25 order events of ~7 KB per statement): Postgres CPU per event 508 -> 200 µs.
-- Rewrites the table once: minutes for millions of queued or finished rows (retention keeps 7 days).
ALTER TABLE bus_events ALTER COLUMN payload TYPE json USING payload::json;
-- EXECUTE, so that a server whose grammar has no COMPRESSION clause (before 14) fails inside the block.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE bus_events ALTER COLUMN payload SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
  NULL;
END
$$;
