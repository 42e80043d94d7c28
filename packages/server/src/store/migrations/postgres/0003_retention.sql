-- Retention (docs/operations.md): run inputs are purged some time after the run finished, and old
-- webhook attempts are deleted. The partial index holds only runs whose input is still there.

ALTER TABLE runs ADD COLUMN input_purged_at BIGINT;
CREATE INDEX runs_input_retention ON runs (completed_at)
  WHERE input_purged_at IS NULL AND completed_at IS NOT NULL;
CREATE INDEX webhook_attempts_by_start ON webhook_attempts (started_at);
