-- Webhook endpoints, and deliveries of events to them (SPEC §4).

CREATE TABLE webhook_endpoints (
  id                          TEXT COLLATE "C" PRIMARY KEY,
  workspace_id                TEXT NOT NULL REFERENCES workspaces(id),
  url                         TEXT NOT NULL,
  description                 TEXT NOT NULL DEFAULT '',
  -- A JSON array of event types, as in SQLite.
  events                      TEXT NOT NULL,
  payload                     TEXT NOT NULL CHECK (payload IN ('full', 'thin')),
  enabled                     BOOLEAN NOT NULL,
  disabled_reason             TEXT,
  secret                      TEXT NOT NULL,
  previous_secret             TEXT,
  previous_secret_expires_at  BIGINT,
  failing_since               BIGINT,
  created_at                  BIGINT NOT NULL,
  updated_at                  BIGINT NOT NULL,
  deleted_at                  BIGINT
);
CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id) WHERE deleted_at IS NULL;

-- One row per event × endpoint; its id is the delivery id sent on every attempt.
CREATE TABLE webhook_deliveries (
  id                TEXT COLLATE "C" PRIMARY KEY,
  event_id          TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  event_created_at  BIGINT NOT NULL,
  run_id            TEXT,
  endpoint_id       TEXT NOT NULL REFERENCES webhook_endpoints(id),
  workspace_id      TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   BIGINT,
  lease_owner       TEXT,
  lease_expires_at  BIGINT,
  last_status_code  INTEGER,
  last_latency_ms   INTEGER,
  last_error        TEXT,
  created_at        BIGINT NOT NULL,
  completed_at      BIGINT,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_expires_at) WHERE status = 'delivering';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
ALTER TABLE webhook_deliveries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

CREATE TABLE webhook_attempts (
  delivery_id       TEXT NOT NULL REFERENCES webhook_deliveries(id),
  attempt           INTEGER NOT NULL,
  started_at        BIGINT NOT NULL,
  status_code       INTEGER,
  latency_ms        INTEGER NOT NULL,
  response_snippet  TEXT,
  error             TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
