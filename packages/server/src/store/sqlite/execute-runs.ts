import { RUN_FAILURES } from '../../errors/run-failure.ts';
import type { RunRecord } from '../../runs/records.ts';
import type { QueueStore } from '../queue-store.ts';
import type { CancelRunResult, ClaimedRun, RunOutcome } from '../records.ts';
import { CLAIMED_INPUT_COLUMNS, RUN_COLUMNS, toClaimedRun, toRun } from '../row-mappers.ts';
import {
  DELIVERY_RELEASE_HELD,
  RUN_EVENT_INSERT,
  RUN_FAIL_LOST,
  RUN_GET,
  RUN_RECORD_CANCELLED_USAGE,
  RUN_RELEASE,
} from '../run-sql.ts';
import { EVENT_TYPE, outcomeColumns } from '../terminal-transitions.ts';
import type { SqliteDatabase } from './database.ts';
import { queueGetStats, runCountQueued } from './read-runs.ts';
import { insertDeliveriesForEvent } from './webhooks.ts';

function insertEvent(
  db: SqliteDatabase,
  e: {
    id: string;
    workspaceId: string;
    runId: string;
    status: keyof typeof EVENT_TYPE;
    at: number;
    dueAt?: number;
  },
): void {
  db.run(RUN_EVENT_INSERT, {
    id: e.id,
    workspaceId: e.workspaceId,
    runId: e.runId,
    type: EVENT_TYPE[e.status],
    at: e.at,
  });
  // Same transaction: an event never exists without its deliveries (transactional outbox).
  insertDeliveriesForEvent(db, {
    eventId: e.id,
    type: EVENT_TYPE[e.status],
    workspaceId: e.workspaceId,
    runId: e.runId,
    at: e.at,
    dueAt: e.dueAt,
  });
}

export function runClaim(
  db: SqliteDatabase,
  p: { workerId: string; limit: number; now: number; leaseMs: number; runTimeoutMs: number },
): ClaimedRun[] {
  return db
    .all(
      `UPDATE runs SET status = 'running', worker_id = $workerId, attempt = attempt + 1,
         lease_expires_at = $leaseUntil, started_at = COALESCE(started_at, $now),
         deadline_at = COALESCE(deadline_at, $deadline)
       WHERE id IN (SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT $limit)
       RETURNING ${RUN_COLUMNS}, ${CLAIMED_INPUT_COLUMNS}`,
      {
        workerId: p.workerId,
        leaseUntil: p.now + p.leaseMs,
        now: p.now,
        deadline: p.now + p.runTimeoutMs,
        limit: p.limit,
      },
    )
    .map(toClaimedRun);
}

export function runRenewLease(
  db: SqliteDatabase,
  p: { workerId: string; runs: readonly { runId: string; attempt: number }[]; now: number; leaseMs: number },
): string[] {
  return db.transaction(() =>
    p.runs
      .filter(
        (r) =>
          db.run(
            `UPDATE runs SET lease_expires_at = $leaseUntil
             WHERE id = $runId AND status = 'running' AND worker_id = $workerId AND attempt = $attempt`,
            { leaseUntil: p.now + p.leaseMs, runId: r.runId, workerId: p.workerId, attempt: r.attempt },
          ) > 0,
      )
      .map((r) => r.runId),
  );
}

export function runFinish(
  db: SqliteDatabase,
  p: { runId: string; workerId: string; attempt: number; now: number; outcome: RunOutcome; eventId: string },
): RunRecord | null {
  const o = p.outcome;
  return db.transaction(() => {
    const row = db.get(
      `UPDATE runs SET status = $status, completed_at = $now, lease_expires_at = NULL, output = $output,
         error_code = $errorCode, error_message = $errorMessage, error_user_message = $errorUserMessage, usage = $usage,
         reuse_key = $reuseKey
       WHERE id = $runId AND status = 'running' AND worker_id = $workerId AND attempt = $attempt
       RETURNING ${RUN_COLUMNS}`,
      {
        ...outcomeColumns(o),
        now: p.now,
        runId: p.runId,
        workerId: p.workerId,
        attempt: p.attempt,
      },
    );
    if (!row) return null;
    const run = toRun(row);
    insertEvent(db, {
      id: p.eventId,
      workspaceId: run.workspaceId,
      runId: p.runId,
      status: o.status,
      at: p.now,
    });
    return run;
  });
}

export function runRecordCancelledUsage(
  db: SqliteDatabase,
  p: { runId: string; workerId: string; attempt: number; usageJson: string | null; now: number },
): boolean {
  const { runId, workerId, attempt, usageJson } = p;
  if (db.run(RUN_RECORD_CANCELLED_USAGE, { runId, workerId, attempt, usageJson }) === 0) return false;
  db.run(DELIVERY_RELEASE_HELD('$runId'), { runId, dueAt: p.now });
  return true;
}

export function runRelease(
  db: SqliteDatabase,
  p: { runId: string; workerId: string; attempt: number },
): boolean {
  return db.run(RUN_RELEASE, p) > 0;
}

export function runRecoverExpiredLease(
  db: SqliteDatabase,
  p: { now: number; maxAttempts: number; newEventId: () => string },
): { requeued: string[]; failed: string[] } {
  return db.transaction(() => {
    const expired = db.all(
      `SELECT id, workspace_id, attempt FROM runs WHERE status = 'running' AND lease_expires_at < $now`,
      { now: p.now },
    );
    const requeued: string[] = [];
    const failed: string[] = [];
    for (const r of expired) {
      const runId = String(r['id']);
      if (Number(r['attempt']) >= p.maxAttempts) {
        db.run(RUN_FAIL_LOST, {
          now: p.now,
          message: RUN_FAILURES.worker_lost.message,
          userMessage: RUN_FAILURES.worker_lost.userMessage,
          runId,
        });
        insertEvent(db, {
          id: p.newEventId(),
          workspaceId: String(r['workspace_id']),
          runId,
          status: 'failed',
          at: p.now,
        });
        failed.push(runId);
      } else {
        db.run(
          `UPDATE runs SET status = 'queued', worker_id = NULL, lease_expires_at = NULL WHERE id = $runId`,
          { runId },
        );
        requeued.push(runId);
      }
    }
    return { requeued, failed };
  });
}

export function runCancel(
  db: SqliteDatabase,
  workspaceId: string,
  runId: string,
  now: number,
  eventId: string,
  settleBy?: number,
): CancelRunResult {
  return db.transaction(() => {
    const before = db.get(RUN_GET, { runId, workspaceId });
    if (!before) return { outcome: 'not_found' };
    const run = toRun(before);
    if (run.status === 'cancelled') return { outcome: 'already_cancelled', run };
    if (run.status === 'succeeded' || run.status === 'failed') return { outcome: 'not_cancellable', run };
    db.run(
      `UPDATE runs SET status = 'cancelled', completed_at = $now, lease_expires_at = NULL, error_code = 'cancelled',
         error_message = $message, error_user_message = $userMessage WHERE id = $runId`,
      {
        now,
        message: RUN_FAILURES.cancelled.message,
        userMessage: RUN_FAILURES.cancelled.userMessage,
        runId,
      },
    );
    // A running run's webhooks wait for the usage its worker records on aborting (settleBy).
    const dueAt = run.status === 'running' ? settleBy : undefined;
    insertEvent(db, { id: eventId, workspaceId, runId, status: 'cancelled', at: now, dueAt });
    const after = db.get(RUN_GET, { runId, workspaceId });
    return { outcome: 'cancelled', run: toRun(after!) };
  });
}

/** The SQLite QueueStore, from the statements above. */
export function sqliteQueueStore(db: SqliteDatabase): QueueStore {
  return {
    runCountQueued: async (w) => runCountQueued(db, w),
    queueGetStats: async () => queueGetStats(db),
    runClaim: (p) => db.write(() => runClaim(db, p)),
    runRenewLease: (p) => db.write(() => runRenewLease(db, p)),
    runFinish: (p) => db.write(() => runFinish(db, p)),
    runRecordCancelledUsage: (p) => db.write(() => runRecordCancelledUsage(db, p)),
    runRelease: (p) => db.write(() => runRelease(db, p)),
    runRecoverExpiredLease: (p) => db.write(() => runRecoverExpiredLease(db, p)),
  };
}
