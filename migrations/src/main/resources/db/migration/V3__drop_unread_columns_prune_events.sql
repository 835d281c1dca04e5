-- jobs.version was incremented by every change and never read: status changes are guarded by the
-- status they leave (JobTransition) and read-then-write paths lock the row (FOR UPDATE).
-- jobs.priority was never set nor read: jobs are taken in the order Kafka delivers them.
ALTER TABLE jobs DROP COLUMN version;
ALTER TABLE jobs DROP COLUMN priority;

-- The event pruner (UNMASK_EVENT_RETENTION_HOURS) finds jobs finished before its cutoff here.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
