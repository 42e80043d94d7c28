-- Tenancy between workspaces and modes (SPEC §9.1, §9.2), and an exact queued-runs cap (§9.4).

-- Kit codes are unique per workspace, so every workspace can have the starter Kits under their
-- codes, and a code taken elsewhere is not observable.
ALTER TABLE kits DROP CONSTRAINT kits_code_key;
ALTER TABLE kits ADD CONSTRAINT kits_workspace_code_key UNIQUE (workspace_id, code);

-- Idempotency keys are scoped by workspace, mode and key: a test key and a live key never meet.
-- A key's mode was not recorded before: a sandbox run's key is taken to be a test key's.
ALTER TABLE idempotency_keys ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'test'));
UPDATE idempotency_keys i SET mode = 'test' FROM runs r WHERE r.id = i.run_id AND r.run_type = 'sandbox';
ALTER TABLE idempotency_keys ALTER COLUMN mode DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (workspace_id, mode, key);

-- Webhook endpoints belong to a mode: live ones receive events of api runs, test ones of sandbox
-- runs. Endpoints made before modes existed received live events, so they are live.
ALTER TABLE webhook_endpoints ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'test'));
DROP INDEX webhook_endpoints_by_workspace;
CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id, mode) WHERE deleted_at IS NULL;

-- Queued runs per workspace, kept by triggers on every change of a run's status. A create locks
-- its workspace's row (FOR UPDATE re-reads the latest committed count) and inserts only under the
-- cap, so the cap is exact however many processes create at once.
CREATE TABLE workspace_queues (
  workspace_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES workspaces(id),
  queued        BIGINT NOT NULL DEFAULT 0
);
INSERT INTO workspace_queues (workspace_id, queued)
  SELECT w.id, (SELECT count(*) FROM runs r WHERE r.workspace_id = w.id AND r.status = 'queued')
  FROM workspaces w;

-- One trigger function for inserts, updates and deletes of runs, at statement level: a claim moves
-- a batch of runs, and the counts change once per workspace, in workspace order, so two claims
-- that touch the same workspaces lock their rows in the same order (no deadlock). PL/pgSQL plans a
-- statement when it first runs it, so each branch names only the transition tables its event has.
CREATE FUNCTION workspace_queues_follow_runs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR change IN
      SELECT workspace_id, count(*) AS delta FROM new_rows WHERE status = 'queued'
      GROUP BY workspace_id ORDER BY workspace_id
    LOOP
      INSERT INTO workspace_queues AS q (workspace_id, queued) VALUES (change.workspace_id, change.delta)
        ON CONFLICT (workspace_id) DO UPDATE SET queued = q.queued + EXCLUDED.queued;
    END LOOP;
  ELSIF TG_OP = 'UPDATE' THEN
    FOR change IN
      SELECT n.workspace_id,
        sum(CASE WHEN n.status = 'queued' THEN 1 ELSE 0 END - CASE WHEN o.status = 'queued' THEN 1 ELSE 0 END) AS delta
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.status = 'queued') <> (o.status = 'queued')
      GROUP BY n.workspace_id ORDER BY n.workspace_id
    LOOP
      UPDATE workspace_queues SET queued = queued + change.delta WHERE workspace_id = change.workspace_id;
    END LOOP;
  ELSE
    FOR change IN
      SELECT workspace_id, count(*) AS delta FROM old_rows WHERE status = 'queued'
      GROUP BY workspace_id ORDER BY workspace_id
    LOOP
      UPDATE workspace_queues SET queued = queued - change.delta WHERE workspace_id = change.workspace_id;
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER runs_queued_inserted AFTER INSERT ON runs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workspace_queues_follow_runs();
CREATE TRIGGER runs_queued_changed AFTER UPDATE ON runs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workspace_queues_follow_runs();
CREATE TRIGGER runs_queued_deleted AFTER DELETE ON runs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workspace_queues_follow_runs();
