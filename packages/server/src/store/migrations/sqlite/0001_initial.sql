-- Times are integer milliseconds since the epoch; JSON is stored as text.

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  key_hash      TEXT NOT NULL UNIQUE,
  hint          TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'runner')),
  name          TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  revoked_at    INTEGER
);

CREATE TABLE brick_versions (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  key           TEXT NOT NULL,
  version       INTEGER NOT NULL,
  definition    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (workspace_id, key, version)
);

CREATE TABLE kits (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE kit_versions (
  id            TEXT PRIMARY KEY,
  kit_id        TEXT NOT NULL REFERENCES kits(id),
  version       INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  name          TEXT NOT NULL,
  description   TEXT NOT NULL,
  model         TEXT NOT NULL,
  bricks        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  published_at  INTEGER,
  UNIQUE (kit_id, version)
);

-- The runs table is the queue.
CREATE TABLE runs (
  id                  TEXT PRIMARY KEY,
  workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
  status              TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  run_type            TEXT NOT NULL CHECK (run_type IN ('api', 'sandbox')),
  mode                TEXT NOT NULL CHECK (mode IN ('async', 'sync')),
  kit_code            TEXT NOT NULL,
  kit_version_id      TEXT NOT NULL REFERENCES kit_versions(id),
  input               TEXT NOT NULL,
  metadata            TEXT,
  created_at          INTEGER NOT NULL,
  started_at          INTEGER,
  completed_at        INTEGER,
  deadline_at         INTEGER,
  attempt             INTEGER NOT NULL DEFAULT 0,
  worker_id           TEXT,
  lease_expires_at    INTEGER,
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
CREATE INDEX runs_recently_completed ON runs (completed_at) WHERE status = 'succeeded';

CREATE TABLE idempotency_keys (
  workspace_id  TEXT NOT NULL,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  field_hashes  TEXT NOT NULL,
  run_id        TEXT NOT NULL REFERENCES runs(id),
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Transactional outbox: one row per terminal transition, written with it. UNIQUE(run_id) makes
-- "one event per transition, ever" a property of the schema, not of the code.
CREATE TABLE run_events (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  run_id        TEXT NOT NULL UNIQUE REFERENCES runs(id),
  type          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
