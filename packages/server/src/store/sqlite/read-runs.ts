import type { RunRecord } from '../../runs/records.ts';
import { RUN_GET_INPUT, RUN_GET_PREPARED_INPUT } from '../prepared-inputs.ts';
import { RUN_COUNT_QUEUED, RUN_COUNT_QUEUED_UNSCOPED } from '../queue-counts.ts';
import type { ListRunsQuery, QueueStats, RunEventRecord } from '../records.ts';
import { RUN_GET_REUSABLE } from '../reusable-runs.ts';
import { RUN_COLUMNS, toRun, toRunEvent } from '../row-mappers.ts';
import { RUN_EVENT_LIST, RUN_GET, RUN_LIST_RECENT_DURATIONS } from '../run-sql.ts';
import type { SqliteDatabase } from './database.ts';

export function runGet(db: SqliteDatabase, workspaceId: string, runId: string): RunRecord | null {
  const row = db.get(RUN_GET, {
    runId,
    workspaceId,
  });
  return row ? toRun(row) : null;
}

export function runGetPreparedInput(db: SqliteDatabase, workspaceId: string, runId: string): string | null {
  const row = db.get(RUN_GET_PREPARED_INPUT, { runId, workspaceId });
  return typeof row?.['prepared'] === 'string' ? row['prepared'] : null;
}

export function runGetReusable(
  db: SqliteDatabase,
  workspaceId: string,
  reuseKey: string,
): { runId: string; outputJson: string } | null {
  const row = db.get(RUN_GET_REUSABLE, { workspaceId, reuseKey });
  return row ? { runId: String(row['id']), outputJson: String(row['output']) } : null;
}

export function runGetInput(db: SqliteDatabase, workspaceId: string, runId: string): string | null {
  const row = db.get(RUN_GET_INPUT, { runId, workspaceId });
  return typeof row?.['input'] === 'string' ? row['input'] : null;
}

export function runList(db: SqliteDatabase, q: ListRunsQuery): RunRecord[] {
  const where = ['workspace_id = $workspaceId'];
  const params: Record<string, string | number> = { workspaceId: q.workspaceId, limit: q.limit + 1 };
  q.runTypes.forEach((t, i) => {
    params[`runType${i}`] = t;
  });
  where.push(`run_type IN (${q.runTypes.map((_, i) => `$runType${i}`).join(', ')})`);
  if (q.beforeId !== undefined) {
    where.push('id < $beforeId');
    params['beforeId'] = q.beforeId;
  }
  if (q.status !== undefined) {
    where.push('status = $status');
    params['status'] = q.status;
  }
  if (q.kitCode !== undefined) {
    where.push('kit_code = $kitCode');
    params['kitCode'] = q.kitCode;
  }
  if (q.createdAfter !== undefined) {
    where.push('created_at > $createdAfter');
    params['createdAfter'] = q.createdAfter;
  }
  if (q.createdBefore !== undefined) {
    where.push('created_at < $createdBefore');
    params['createdBefore'] = q.createdBefore;
  }
  const sql = `SELECT ${RUN_COLUMNS} FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $limit`;
  return db.all(sql, params).map(toRun);
}

export function runCountQueued(db: SqliteDatabase, workspaceId: string): number {
  return Number(db.get(RUN_COUNT_QUEUED, { workspaceId })?.['n'] ?? 0);
}

export function queueGetStats(db: SqliteDatabase): QueueStats {
  const queued = Number(db.get(RUN_COUNT_QUEUED_UNSCOPED)?.['n'] ?? 0);
  const recent = db
    .all(RUN_LIST_RECENT_DURATIONS)
    .map((r) => Number(r['d']))
    .sort((a, b) => a - b);
  const recentDurationMs = recent.length ? (recent[Math.floor(recent.length / 2)] ?? null) : null;
  return { queued, recentDurationMs };
}

export function runEventList(db: SqliteDatabase, runId: string): RunEventRecord[] {
  return db.all(RUN_EVENT_LIST, { runId }).map(toRunEvent);
}
