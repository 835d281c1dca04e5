-- When a queued job's latest Kafka record was published (the relay sets it). A job queued for
-- longer than UNMASK_REDELIVER_SECONDS since then, with no outbox row pending, has lost its record
-- (dropped, archived after too many deliveries) and is published again.
ALTER TABLE jobs ADD COLUMN published_at timestamptz;
CREATE INDEX jobs_queued_published ON jobs (coalesce(published_at, created_at)) WHERE status = 'queued';
