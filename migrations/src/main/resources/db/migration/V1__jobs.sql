-- Unmask job database. State lives here; Kafka only delivers.

-- API keys: only a SHA-256 hash of the secret is stored.
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    secret_hash text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Uploaded corpora; the bytes live in the artifact store at uri.
CREATE TABLE datasets (
    id         uuid PRIMARY KEY,
    owner      uuid NOT NULL REFERENCES api_keys (id),
    name       text NOT NULL,
    format     text NOT NULL CHECK (format IN ('text', 'jsonl')),
    bytes      bigint NOT NULL CHECK (bytes >= 0),
    documents  bigint NOT NULL CHECK (documents >= 0),
    uri        text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_owner ON datasets (owner, created_at DESC);

-- Models: folders registered by a user, or produced by a training job.
-- Presets (preset:tiny ...) are not rows: they are built into the engine.
CREATE TABLE models (
    id         uuid PRIMARY KEY,
    owner      uuid NOT NULL REFERENCES api_keys (id),
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('registered', 'trained')),
    uri        text NOT NULL,
    source_job uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_owner ON models (owner, created_at DESC);

CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    owner            uuid NOT NULL REFERENCES api_keys (id),
    type             text NOT NULL CHECK (type IN ('train', 'generate')),
    status           text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    spec             jsonb NOT NULL,
    result           jsonb,
    error_code       text,
    error_message    text,
    priority         integer NOT NULL DEFAULT 0,
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
    idempotency_key  text,
    request_hash     text,
    worker_id        text,
    lease_until      timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    progress_step    bigint NOT NULL DEFAULT 0,
    progress_total   bigint NOT NULL DEFAULT 0,
    version          bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    UNIQUE (owner, idempotency_key)
);
CREATE INDEX jobs_owner_created ON jobs (owner, created_at DESC, id DESC);
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE status = 'running';

-- Transactional outbox: written with the job, published to Kafka by the relay once
-- available_at has passed (a retry's backoff), then deleted.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    topic        text NOT NULL,
    record_key   text NOT NULL,
    payload      jsonb NOT NULL,
    available_at timestamptz NOT NULL DEFAULT now(),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_available ON outbox (available_at, id);

-- What happened to a job, in order: status changes, training progress, generation frames.
-- id is the SSE event id (Last-Event-ID replays everything after it).
CREATE TABLE job_events (
    id         bigserial PRIMARY KEY,
    job_id     uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    data       jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job ON job_events (job_id, id);

CREATE TABLE checkpoints (
    id         uuid PRIMARY KEY,
    job_id     uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step       bigint NOT NULL,
    uri        text NOT NULL,
    metrics    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, step)
);
