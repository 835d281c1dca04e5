-- The queue depth per type (GET /metrics, every few seconds) counts queued jobs from this small
-- partial index instead of scanning every job ever run.
CREATE INDEX jobs_queued_type ON jobs (type) WHERE status = 'queued';
