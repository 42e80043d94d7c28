import type { KeyMode } from '../../keys/records.ts';
import type { RunRecord } from '../../runs/records.ts';
import { differingFields } from '../differing-fields.ts';
import { IDEMPOTENCY_KEY_GET } from '../idempotency-keys.ts';
import type { CreateRunResult, IdempotencyClaim, IdempotencyRecord, NewRun } from '../records.ts';
import { RUN_COLUMNS, toIdempotency, toRun } from '../row-mappers.ts';
import { RUN_GET_UNSCOPED } from '../run-sql.ts';
import { StoreUnavailableError } from '../store-unavailable.ts';
import type { PostgresDatabase, Sql } from './database.ts';

/**
 * Every create first locks its workspace's queued count (`FOR UPDATE` reads the latest committed
 * value even when it had to wait for another create), so the cap is exact however many processes
 * create at once; triggers on `runs` keep the count. Creates of one workspace take turns for the
 * length of one statement and its commit; other workspaces' never wait. The statement always returns one row:
 * the count before it (`queued_before`), and the run's columns when it was inserted.
 */
const LOCK_QUEUED_COUNT = `queue AS (
    SELECT queued FROM workspace_queues WHERE workspace_id = $workspaceId FOR UPDATE
  )`;

const RUN_VALUES = `$id::text, $workspaceId::text, 'queued', $runType::text, $mode::text, $kitCode::text,
    $kitVersionId::text, $input::text, $prepared::text, $metadata::text, $createdAt::bigint, $requestId::text`;

const INSERT_RUN_COLUMNS = `INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input,
    prepared, metadata, created_at, request_id)`;

const RUN_INSERT = `WITH ${LOCK_QUEUED_COUNT},
  inserted AS (
    ${INSERT_RUN_COLUMNS}
    SELECT ${RUN_VALUES} FROM queue WHERE queue.queued < $maxQueued
    RETURNING ${RUN_COLUMNS}
  )
  SELECT (SELECT queued FROM queue) AS queued_before, inserted.* FROM (SELECT 1) AS one
  LEFT JOIN inserted ON true`;

const runParams = (run: NewRun) => ({
  id: run.id,
  workspaceId: run.workspaceId,
  runType: run.runType,
  mode: run.mode,
  kitCode: run.kitCode,
  kitVersionId: run.kitVersionId,
  input: run.inputJson,
  prepared: run.preparedJson,
  metadata: run.metadataJson,
  createdAt: run.createdAt,
  requestId: run.requestId,
});

/**
 * Claims an Idempotency-Key and inserts its run, in one statement (one round trip, atomic), under
 * the cap. The key's row references the run inserted by the later CTE: foreign keys are checked
 * at the end of the statement. No run back: the key is held by a claim that has not expired, or
 * the queue is full.
 */
const RUN_INSERT_CLAIMING_KEY = `WITH ${LOCK_QUEUED_COUNT},
  claim AS (
    INSERT INTO idempotency_keys (workspace_id, mode, key, fingerprint, field_hashes, run_id, created_at, expires_at)
    SELECT $workspaceId::text, $keyMode::text, $key::text, $fingerprint::text, $fieldHashes::text, $id::text,
      $now::bigint, $expiresAt::bigint
    FROM queue WHERE queue.queued < $maxQueued
    ON CONFLICT (workspace_id, mode, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
      field_hashes = EXCLUDED.field_hashes, run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at,
      expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= $now
    RETURNING run_id
  ),
  inserted AS (
    ${INSERT_RUN_COLUMNS}
    SELECT ${RUN_VALUES} FROM claim
    RETURNING ${RUN_COLUMNS}
  )
  SELECT (SELECT queued FROM queue) AS queued_before, inserted.* FROM (SELECT 1) AS one
  LEFT JOIN inserted ON true`;

/** How often a request that lost an idempotency race re-reads the winner before giving up. */
const RACE_ATTEMPTS = 5;

export async function idempotencyKeyGet(
  db: Sql,
  workspaceId: string,
  mode: KeyMode,
  key: string,
  now: number,
): Promise<IdempotencyRecord | null> {
  const row = await db.get(IDEMPOTENCY_KEY_GET, { workspaceId, mode, key, now });
  return row ? toIdempotency(row) : null;
}

async function getRunRow(db: Sql, runId: string): Promise<RunRecord> {
  const row = await db.get(RUN_GET_UNSCOPED, { runId });
  if (!row) throw new Error(`run ${runId} vanished inside a transaction`);
  return toRun(row);
}

/** Whether the statement's one row carries an inserted run (else a held key or a full queue). */
function isInserted(row: Record<string, unknown> | null, workspaceId: string): boolean {
  // Every workspace has its count from the moment it exists (workspaceInsert, migration 0004).
  if (!row || row['queued_before'] === null)
    throw new Error(`workspace ${workspaceId} has no queued-runs count`);
  return row['id'] !== null;
}

/**
 * Inserts a queued run under the workspace's cap. With a key, the key and the run are written by
 * one statement; the key's primary key decides races: `ON CONFLICT` waits for a concurrent holder
 * to commit, and the loser inserts nothing and answers with the winner's run (or a conflict). A
 * replay answers even when the queue is full.
 */
export async function runInsert(
  db: PostgresDatabase,
  run: NewRun,
  idempotency: IdempotencyClaim | null,
  now: number,
  maxQueued: number,
): Promise<CreateRunResult> {
  if (!idempotency) {
    const row = await db.get(RUN_INSERT, { ...runParams(run), maxQueued });
    return isInserted(row, run.workspaceId)
      ? { outcome: 'created', run: toRun(row!) }
      : { outcome: 'queue_full' };
  }
  for (let attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
    // One statement claims the key (new, or expired and taken over) and inserts the run under it;
    // a request holding the same key meanwhile makes ON CONFLICT wait for it to commit.
    const row = await db.get(RUN_INSERT_CLAIMING_KEY, {
      ...runParams(run),
      keyMode: idempotency.mode,
      key: idempotency.key,
      fingerprint: idempotency.fingerprint,
      fieldHashes: JSON.stringify(idempotency.fieldHashes),
      now,
      expiresAt: idempotency.expiresAt,
      maxQueued,
    });
    if (isInserted(row, run.workspaceId)) return { outcome: 'created', run: toRun(row!) };
    // The key is held by a live claim: answer with its run, or say how the request differs.
    const existing = await idempotencyKeyGet(db, run.workspaceId, idempotency.mode, idempotency.key, now);
    if (existing) {
      if (existing.fingerprint !== idempotency.fingerprint) {
        return {
          outcome: 'conflict',
          fields: differingFields(existing.fieldHashes, idempotency.fieldHashes),
          runId: existing.runId,
        };
      }
      return { outcome: 'replayed', run: await getRunRow(db, existing.runId) };
    }
    if (Number(row!['queued_before']) >= maxQueued) return { outcome: 'queue_full' };
    // It expired or was purged between the two statements: claim it again.
  }
  throw new StoreUnavailableError('An Idempotency-Key kept changing hands; retry the request.');
}
