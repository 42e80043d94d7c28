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

/** How often a request that lost an idempotency race re-reads the winner before giving up. */
const RACE_ATTEMPTS = 5;

/** Thrown inside the transaction to roll back the run of a request that lost the key. */
class KeyTakenMeanwhile extends Error {}

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
 * Inserts a queued run. With a key, the run and the key are written in one transaction; the key's
 * primary key decides races: `ON CONFLICT DO NOTHING` waits for a concurrent holder to commit, and
 * the loser rolls its run back and answers with the winner's run (or a conflict).
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
    try {
      return await db.transaction(async (tx): Promise<CreateRunResult> => {
        const existing = await findIdempotencyKey(tx, run.workspaceId, idempotency.key, now);
        if (existing) {
          if (existing.fingerprint !== idempotency.fingerprint) {
            return {
              outcome: 'conflict',
              fields: differingFields(existing.fieldHashes, idempotency.fieldHashes),
              runId: existing.runId,
            };
          }
          return { outcome: 'replayed', run: await getRunRow(tx, existing.runId) };
        }
        // An expired key may be reused: forget the old claim.
        await tx.run(
          'DELETE FROM idempotency_keys WHERE workspace_id = $workspaceId AND key = $key AND expires_at <= $now',
          { workspaceId: run.workspaceId, key: idempotency.key, now },
        );
        const created = toRun((await tx.get(INSERT_RUN, runParams(run)))!);
        const claimed = await tx.get(
          `INSERT INTO idempotency_keys (workspace_id, key, fingerprint, field_hashes, run_id, created_at, expires_at)
           VALUES ($workspaceId, $key, $fingerprint, $fieldHashes, $runId, $createdAt, $expiresAt)
           ON CONFLICT (workspace_id, key) DO NOTHING
           RETURNING run_id`,
          {
            workspaceId: run.workspaceId,
            key: idempotency.key,
            fingerprint: idempotency.fingerprint,
            fieldHashes: JSON.stringify(idempotency.fieldHashes),
            runId: run.id,
            createdAt: now,
            expiresAt: idempotency.expiresAt,
          },
        );
        if (!claimed) throw new KeyTakenMeanwhile();
        return { outcome: 'created', run: created };
      });
    } catch (error) {
      // Another request committed this key first: the next attempt reads its run.
      if (!(error instanceof KeyTakenMeanwhile)) throw error;
    }
  }
  throw new StoreUnavailableError('An Idempotency-Key kept changing hands; retry the request.');
}
