-- A succeeded run of a Kit that sets `reuse` keeps the key of what it judged (Kit version,
-- conversation, context, model identity: src/reuse/reuse-key.ts), so a later identical run of the
-- same workspace can take its output instead of calling the model (SPEC §11.5). NULL otherwise.

ALTER TABLE runs ADD COLUMN reuse_key TEXT;
CREATE INDEX runs_reuse_key ON runs (workspace_id, reuse_key) WHERE reuse_key IS NOT NULL;
