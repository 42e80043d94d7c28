import type { RunRecord } from '../../runs/records.ts';
import { RUN_GET_INPUT, RUN_GET_PREPARED_INPUT } from '../prepared-inputs.ts';
import { RUN_COUNT_QUEUED, RUN_COUNT_QUEUED_UNSCOPED } from '../queue-counts.ts';
import type { ListRunsQuery, QueueStats, RunEventRecord } from '../records.ts';
import { RUN_GET_REUSABLE } from '../reusable-runs.ts';
import { RUN_COLUMNS, toRun, toRunEvent } from '../row-mappers.ts';
import { RUN_EVENT_LIST, RUN_GET, RUN_LIST_RECENT_DURATIONS } from '../run-sql.ts';
import type { Sql } from './database.ts';

export async function runGet(db: Sql, workspaceId: string, runId: string): Promise<RunRecord | null> {
  const row = await db.get(RUN_GET, {
    runId,
    workspaceId,
  });
  return row ? toRun(row) : null;
}

export async function runGetPreparedInput(
  db: Sql,
  workspaceId: string,
  runId: string,
): Promise<string | null> {
  const row = await db.get(RUN_GET_PREPARED_INPUT, { runId, workspaceId });
  return typeof row?.['prepared'] === 'string' ? row['prepared'] : null;
}

export async function runGetReusable(
  db: Sql,
  workspaceId: string,
  reuseKey: string,
): Promise<{ runId: string; outputJson: string } | null> {
  const row = await db.get(RUN_GET_REUSABLE, { workspaceId, reuseKey });
  return row ? { runId: String(row['id']), outputJson: String(row['output']) } : null;
}

export async function runGetInput(db: Sql, workspaceId: string, runId: string): Promise<string | null> {
  const row = await db.get(RUN_GET_INPUT, { runId, workspaceId });
  return typeof row?.['input'] === 'string' ? row['input'] : null;
}

export async function runList(db: Sql, q: ListRunsQuery): Promise<RunRecord[]> {
  const where = ['workspace_id = $workspaceId', 'run_type = ANY($runTypes)'];
  const params: Record<string, unknown> = {
    workspaceId: q.workspaceId,
    runTypes: [...q.runTypes],
    limit: q.limit + 1,
  };
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
  return (await db.all(sql, params)).map(toRun);
}

export async function runCountQueued(db: Sql, workspaceId: string): Promise<number> {
  const row = await db.get(RUN_COUNT_QUEUED, { workspaceId });
  return Number(row?.['n'] ?? 0);
}

export async function queueGetStats(db: Sql): Promise<QueueStats> {
  const queued = Number((await db.get(RUN_COUNT_QUEUED_UNSCOPED))?.['n'] ?? 0);
  const recent = (await db.all(RUN_LIST_RECENT_DURATIONS)).map((r) => Number(r['d'])).sort((a, b) => a - b);
  const recentDurationMs = recent.length ? (recent[Math.floor(recent.length / 2)] ?? null) : null;
  return { queued, recentDurationMs };
}

export async function runEventList(db: Sql, runId: string): Promise<RunEventRecord[]> {
  return (await db.all(RUN_EVENT_LIST, { runId })).map(toRunEvent);
}
