import { differingFields } from '../differing-fields.ts';
import type { CreateRunResult, IdempotencyClaim, IdempotencyRecord, NewRun, RunRecord } from '../records.ts';
import { RUN_COLUMNS, toIdempotency, toRun } from '../row-mappers.ts';
import type { SqliteDatabase } from './database.ts';

export function findIdempotencyKey(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
  now: number,
): IdempotencyRecord | null {
  const row = db.get(
    'SELECT * FROM idempotency_keys WHERE workspace_id = $workspaceId AND key = $key AND expires_at > $now',
    { workspaceId, key, now },
  );
  return row ? toIdempotency(row) : null;
}

function getRunRow(db: SqliteDatabase, runId: string): RunRecord {
  const row = db.get(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $runId`, { runId });
  if (!row) throw new Error(`run ${runId} vanished inside a transaction`);
  return toRun(row);
}

export function createRun(
  db: SqliteDatabase,
  run: NewRun,
  idempotency: IdempotencyClaim | null,
  now: number,
): CreateRunResult {
  return db.transaction(() => {
    if (idempotency) {
      const existing = findIdempotencyKey(db, run.workspaceId, idempotency.key, now);
      if (existing) {
        if (existing.fingerprint !== idempotency.fingerprint) {
          return {
            outcome: 'conflict',
            fields: differingFields(existing.fieldHashes, idempotency.fieldHashes),
            runId: existing.runId,
          };
        }
        return { outcome: 'replayed', run: getRunRow(db, existing.runId) };
      }
      // An expired key may be reused: forget the old claim.
      db.run('DELETE FROM idempotency_keys WHERE workspace_id = $workspaceId AND key = $key', {
        workspaceId: run.workspaceId,
        key: idempotency.key,
      });
    }
    const inserted = db.get(
      `INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input, metadata, created_at, request_id)
       VALUES ($id, $workspaceId, 'queued', $runType, $mode, $kitCode, $kitVersionId, $input, $metadata, $createdAt, $requestId)
       RETURNING ${RUN_COLUMNS}`,
      {
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
      },
    );
    if (idempotency) {
      db.run(
        `INSERT INTO idempotency_keys (workspace_id, key, fingerprint, field_hashes, run_id, created_at, expires_at)
         VALUES ($workspaceId, $key, $fingerprint, $fieldHashes, $runId, $createdAt, $expiresAt)`,
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
    }
    return { outcome: 'created', run: toRun(inserted!) };
  });
}
