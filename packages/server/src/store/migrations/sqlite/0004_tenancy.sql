-- foreign_keys: off
-- (The line above makes the migrator apply this file with foreign keys off and check them before it
-- commits: SQLite changes a table's constraints only by rebuilding the table, and dropping `kits`
-- with foreign keys on would orphan its versions. See SqliteDatabase's migrator.)
--
-- Tenancy between workspaces and modes (SPEC §9.1, §9.2), and an exact queued-runs cap (§9.4).

-- Kit codes are unique per workspace, so every workspace can have the starter Kits under their
-- codes, and a code taken elsewhere is not observable.
CREATE TABLE kits_new (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (workspace_id, code)
);
INSERT INTO kits_new (id, workspace_id, code, name, created_at)
  SELECT id, workspace_id, code, name, created_at FROM kits;
DROP TABLE kits;
ALTER TABLE kits_new RENAME TO kits;

-- Idempotency keys are scoped by workspace, mode and key: a test key and a live key never meet.
-- A key's mode was not recorded before: a sandbox run's key is taken to be a test key's.
CREATE TABLE idempotency_keys_new (
  workspace_id  TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  field_hashes  TEXT NOT NULL,
  run_id        TEXT NOT NULL REFERENCES runs(id),
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, mode, key)
);
INSERT INTO idempotency_keys_new (workspace_id, mode, key, fingerprint, field_hashes, run_id, created_at, expires_at)
  SELECT i.workspace_id, CASE r.run_type WHEN 'sandbox' THEN 'test' ELSE 'live' END, i.key, i.fingerprint,
    i.field_hashes, i.run_id, i.created_at, i.expires_at
  FROM idempotency_keys i JOIN runs r ON r.id = i.run_id;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Webhook endpoints belong to a mode: live ones receive events of api runs, test ones of sandbox
-- runs. Endpoints made before modes existed received live events, so they are live.
ALTER TABLE webhook_endpoints ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'test'));
DROP INDEX webhook_endpoints_by_workspace;
CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id, mode) WHERE deleted_at IS NULL;

-- Queued runs per workspace, kept by triggers on every change of a run's status, so the cap is
-- checked in the transaction that inserts a run, in constant time, whatever path changed the count.
CREATE TABLE workspace_queues (
  workspace_id  TEXT PRIMARY KEY REFERENCES workspaces(id),
  queued        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO workspace_queues (workspace_id, queued)
  SELECT w.id, (SELECT count(*) FROM runs r WHERE r.workspace_id = w.id AND r.status = 'queued')
  FROM workspaces w;

CREATE TRIGGER runs_queued_inserted AFTER INSERT ON runs WHEN NEW.status = 'queued'
BEGIN
  INSERT INTO workspace_queues (workspace_id, queued) VALUES (NEW.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET queued = queued + 1;
END;

CREATE TRIGGER runs_queued_changed AFTER UPDATE OF status ON runs
  WHEN (OLD.status = 'queued') <> (NEW.status = 'queued')
BEGIN
  UPDATE workspace_queues SET queued = queued + (CASE WHEN NEW.status = 'queued' THEN 1 ELSE -1 END)
    WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER runs_queued_deleted AFTER DELETE ON runs WHEN OLD.status = 'queued'
BEGIN
  UPDATE workspace_queues SET queued = queued - 1 WHERE workspace_id = OLD.workspace_id;
END;
