-- A run keeps its input as prepared at creation (normalised, checked against the limits), so it
-- is normalised once per run, and the executor does not do it again (SPEC §9.4). NULL for runs
-- created before this column: the executor prepares those itself. Purged with the input.

ALTER TABLE runs ADD COLUMN prepared TEXT;
