-- The event documents written for every webhook as json, not jsonb: the embedded bus's queue
-- (bus_events.payload) and the console's arrivals log (webhook_arrivals.event, which keeps its own copy
-- of the event when the bus is Kafka). Nothing queries inside them (consumers and the console read them
-- whole), and jsonb made Postgres parse every event into its binary form on insert and print it back
-- out on each read. json only checks the text is valid JSON and stores it as sent. With lz4 for the
-- TOAST compression of these 5-20 KB values where the server has it (PostgreSQL 14+ built with lz4, as
-- Debian's, the official images' and the big clouds' are); a server without it keeps pglz.
-- Measured on a 2-core VM (25 order events of ~7 KB per statement), Postgres CPU per event:
-- bus_events 496-522 -> 194-208 µs, webhook_arrivals 518-544 -> 178-182 µs.
-- Rewrites bus_events once: minutes for millions of queued or finished rows (retention keeps 7 days);
-- webhook_arrivals holds at most a few thousand rows.
ALTER TABLE bus_events ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE webhook_arrivals ALTER COLUMN event TYPE json USING event::json;
-- EXECUTE, so that a server whose grammar has no COMPRESSION clause (before 14) fails inside the block.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE bus_events ALTER COLUMN payload SET COMPRESSION lz4';
  EXECUTE 'ALTER TABLE webhook_arrivals ALTER COLUMN event SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
  NULL;
END
$$;
