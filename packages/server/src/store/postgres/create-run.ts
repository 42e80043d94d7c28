import { differingFields } from '../differing-fields.ts';
import type { CreateRunResult, IdempotencyClaim, IdempotencyRecord, NewRun, RunRecord } from '../records.ts';
import { RUN_COLUMNS, toIdempotency, toRun } from '../row-mappers.ts';
import { StoreUnavailableError } from '../store-unavailable.ts';
import type { PostgresDatabase, Sql } from './database.ts';

const INSERT_RUN = `INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input, metadata,
    created_at, request_id)
  VALUES ($id, $workspaceId, 'queued', $runType, $mode, $kitCode, $kitVersionId, $input, $metadata, $createdAt, $requestId)
  RETURNING ${RUN_COLUMNS}`;

const runParams = (run: NewRun) => ({
  id: run.id,
  workspaceId: run.workspaceId,
  runType: run.runType,
  mode: run.mode,
  kitCode: run.kitCode,
  kitVersionId: run.kitVersionId,
  input: run.inputJson,
  metadata: run.metadataJson,
  createdAt: run.createdAt,
  requestId: run.requestId,
});

/**
 * Claims an Idempotency-Key and inserts its run, in one statement (one round trip, atomic). The
 * key's row references the run inserted by the later CTE: foreign keys are checked at the end of
 * the statement. No row back: the key is held by a claim that has not expired.
 */
const CLAIM_KEY_AND_INSERT_RUN = `WITH claim AS (
    INSERT INTO idempotency_keys (workspace_id, key, fingerprint, field_hashes, run_id, created_at, expires_at)
    VALUES ($workspaceId, $key, $fingerprint, $fieldHashes, $id, $now, $expiresAt)
    ON CONFLICT (workspace_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
      field_hashes = EXCLUDED.field_hashes, run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at,
      expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= $now
    RETURNING run_id
  )
  INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input, metadata,
    created_at, request_id)
  SELECT $id::text, $workspaceId::text, 'queued', $runType::text, $mode::text, $kitCode::text, $kitVersionId::text,
    $input::text, $metadata::text, $createdAt::bigint,
    $requestId::text
  FROM claim
  RETURNING ${RUN_COLUMNS}`;

/** How often a request that lost an idempotency race re-reads the winner before giving up. */
const RACE_ATTEMPTS = 5;

export async function findIdempotencyKey(
  db: Sql,
  workspaceId: string,
  key: string,
  now: number,
): Promise<IdempotencyRecord | null> {
  const row = await db.get(
    'SELECT * FROM idempotency_keys WHERE workspace_id = $workspaceId AND key = $key AND expires_at > $now',
    { workspaceId, key, now },
  );
  return row ? toIdempotency(row) : null;
}

async function getRunRow(db: Sql, runId: string): Promise<RunRecord> {
  const row = await db.get(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $runId`, { runId });
  if (!row) throw new Error(`run ${runId} vanished inside a transaction`);
  return toRun(row);
}

/**
 * Inserts a queued run. With a key, the key and the run are written by one statement; the key's
 * primary key decides races: `ON CONFLICT` waits for a concurrent holder to commit, and the loser
 * inserts nothing and answers with the winner's run (or a conflict).
 */
export async function createRun(
  db: PostgresDatabase,
  run: NewRun,
  idempotency: IdempotencyClaim | null,
  now: number,
): Promise<CreateRunResult> {
  if (!idempotency) {
    const row = await db.get(INSERT_RUN, runParams(run));
    return { outcome: 'created', run: toRun(row!) };
  }
  for (let attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
    // One statement claims the key (new, or expired and taken over) and inserts the run under it;
    // a request holding the same key meanwhile makes ON CONFLICT wait for it to commit.
    const row = await db.get(CLAIM_KEY_AND_INSERT_RUN, {
      ...runParams(run),
      key: idempotency.key,
      fingerprint: idempotency.fingerprint,
      fieldHashes: JSON.stringify(idempotency.fieldHashes),
      now,
      expiresAt: idempotency.expiresAt,
    });
    if (row) return { outcome: 'created', run: toRun(row) };
    // The key is held by a live claim: answer with its run, or say how the request differs.
    const existing = await findIdempotencyKey(db, run.workspaceId, idempotency.key, now);
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
    // It expired or was purged between the two statements: claim it again.
  }
  throw new StoreUnavailableError('An Idempotency-Key kept changing hands; retry the request.');
}
