import type { KeyMode } from '../../keys/records.ts';
import type { RunRecord } from '../../runs/records.ts';
import { differingFields } from '../differing-fields.ts';
import { IDEMPOTENCY_KEY_GET } from '../idempotency-keys.ts';
import { RUN_COUNT_QUEUED } from '../queue-counts.ts';
import type { CreateRunResult, IdempotencyClaim, IdempotencyRecord, NewRun } from '../records.ts';
import { RUN_COLUMNS, toIdempotency, toRun } from '../row-mappers.ts';
import { RUN_GET_UNSCOPED } from '../run-sql.ts';
import type { SqliteDatabase } from './database.ts';

export function idempotencyKeyGet(
  db: SqliteDatabase,
  workspaceId: string,
  mode: KeyMode,
  key: string,
  now: number,
): IdempotencyRecord | null {
  const row = db.get(IDEMPOTENCY_KEY_GET, { workspaceId, mode, key, now });
  return row ? toIdempotency(row) : null;
}

function getRunRow(db: SqliteDatabase, runId: string): RunRecord {
  const row = db.get(RUN_GET_UNSCOPED, { runId });
  if (!row) throw new Error(`run ${runId} vanished inside a transaction`);
  return toRun(row);
}

/**
 * One write transaction (SQLite has one writer), so the queued count read here is exact: the
 * key first (a replay answers even when the queue is full), then the cap, then the insert.
 */
export function runInsert(
  db: SqliteDatabase,
  run: NewRun,
  idempotency: IdempotencyClaim | null,
  now: number,
  maxQueued: number,
): CreateRunResult {
  return db.transaction(() => {
    if (idempotency) {
      const existing = idempotencyKeyGet(db, run.workspaceId, idempotency.mode, idempotency.key, now);
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
    }
    const queued = Number(db.get(RUN_COUNT_QUEUED, { workspaceId: run.workspaceId })?.['n'] ?? 0);
    if (queued >= maxQueued) return { outcome: 'queue_full' };
    if (idempotency) {
      // An expired key may be reused: forget the old claim.
      db.run(
        'DELETE FROM idempotency_keys WHERE workspace_id = $workspaceId AND mode = $mode AND key = $key',
        {
          workspaceId: run.workspaceId,
          mode: idempotency.mode,
          key: idempotency.key,
        },
      );
    }
    const inserted = db.get(
      `INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input, prepared, metadata, created_at, request_id)
       VALUES ($id, $workspaceId, 'queued', $runType, $mode, $kitCode, $kitVersionId, $input, $prepared, $metadata, $createdAt, $requestId)
       RETURNING ${RUN_COLUMNS}`,
      {
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
      },
    );
    if (idempotency) {
      db.run(
        `INSERT INTO idempotency_keys (workspace_id, mode, key, fingerprint, field_hashes, run_id, created_at, expires_at)
         VALUES ($workspaceId, $mode, $key, $fingerprint, $fieldHashes, $runId, $createdAt, $expiresAt)`,
        {
          workspaceId: run.workspaceId,
          mode: idempotency.mode,
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
