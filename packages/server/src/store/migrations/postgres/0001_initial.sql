-- The same tables as the SQLite schema, so both adapters map rows the same way: times are BIGINT
-- milliseconds since the epoch and JSON is stored as text, exactly as written (JSONB would reorder
-- object keys, and the order of an output's Bricks is part of the answer).
-- Ids compare bytewise (COLLATE "C"): runs are claimed, listed and paged in id order, which must
-- not depend on the database's locale.

CREATE TABLE workspaces (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT COLLATE "C" PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  key_hash      TEXT NOT NULL UNIQUE,
  hint          TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'runner')),
  name          TEXT,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT,
  revoked_at    BIGINT
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id);

CREATE TABLE brick_versions (
  id            TEXT COLLATE "C" PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  key           TEXT COLLATE "C" NOT NULL,
  version       INTEGER NOT NULL,
  definition    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  UNIQUE (workspace_id, key, version)
);

CREATE TABLE kits (
  id            TEXT COLLATE "C" PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX kits_by_workspace ON kits (workspace_id, created_at);

CREATE TABLE kit_versions (
  id            TEXT COLLATE "C" PRIMARY KEY,
  kit_id        TEXT NOT NULL REFERENCES kits(id),
  version       INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  name          TEXT NOT NULL,
  description   TEXT NOT NULL,
  model         TEXT NOT NULL,
  bricks        TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  published_at  BIGINT,
  UNIQUE (kit_id, version)
);

-- The runs table is the queue.
CREATE TABLE runs (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
  status              TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  run_type            TEXT NOT NULL CHECK (run_type IN ('api', 'sandbox')),
  mode                TEXT NOT NULL CHECK (mode IN ('async', 'sync')),
  kit_code            TEXT NOT NULL,
  kit_version_id      TEXT NOT NULL REFERENCES kit_versions(id),
  input               TEXT NOT NULL,
  metadata            TEXT,
  created_at          BIGINT NOT NULL,
  started_at          BIGINT,
  completed_at        BIGINT,
  deadline_at         BIGINT,
  attempt             INTEGER NOT NULL DEFAULT 0,
  worker_id           TEXT,
  lease_expires_at    BIGINT,
  output              TEXT,
  error_code          TEXT,
  error_message       TEXT,
  error_user_message  TEXT,
  usage               TEXT,
  request_id          TEXT
);
CREATE INDEX runs_queued ON runs (id) WHERE status = 'queued';
CREATE INDEX runs_queued_by_workspace ON runs (workspace_id) WHERE status = 'queued';
CREATE INDEX runs_leases ON runs (lease_expires_at) WHERE status = 'running';
CREATE INDEX runs_by_workspace ON runs (workspace_id, run_type, id);
-- Listing filters run types with = ANY(…), which the index above cannot return in id order: this
-- one keeps a small workspace's first page cheap however many runs other workspaces have.
CREATE INDEX runs_by_workspace_newest ON runs (workspace_id, id);
CREATE INDEX runs_recently_completed ON runs (completed_at) WHERE status = 'succeeded';
-- Every run is updated several times on its way through the queue: vacuum it early, so dead rows
-- do not pile up in the partial indexes the claim query scans.
ALTER TABLE runs SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

CREATE TABLE idempotency_keys (
  workspace_id  TEXT NOT NULL,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  field_hashes  TEXT NOT NULL,
  run_id        TEXT NOT NULL REFERENCES runs(id),
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Transactional outbox: one row per terminal transition, written with it. UNIQUE(run_id) makes
-- "one event per transition, ever" a property of the schema, not of the code.
CREATE TABLE run_events (
  id            TEXT COLLATE "C" PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  run_id        TEXT NOT NULL UNIQUE REFERENCES runs(id),
  type          TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
