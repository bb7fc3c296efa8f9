-- Retention (src/store/retention.ts) deletes old rows in bounded batches; these indexes let it find
-- them without scanning the tables.
CREATE INDEX IF NOT EXISTS bus_events_finished ON bus_events (finished_at) WHERE status <> 'pending';
CREATE INDEX IF NOT EXISTS accepted_events_accepted_at ON accepted_events (accepted_at);
CREATE INDEX IF NOT EXISTS processed_events_processed_at ON processed_events (processed_at);
CREATE INDEX IF NOT EXISTS dead_letters_redriven ON dead_letters (redriven_at) WHERE redriven_at IS NOT NULL;
