import { RUN_FAILURES } from '../../errors/run-failure.ts';
import type { RunRecord } from '../../runs/records.ts';
import type { QueueStore } from '../queue-store.ts';
import type { CancelRunResult, ClaimedRun, RunOutcome } from '../records.ts';
import { CLAIMED_INPUT_COLUMNS, RUN_COLUMNS, toClaimedRun, toRun } from '../row-mappers.ts';
import {
  DELIVERY_RELEASE_HELD,
  RUN_EVENT_INSERT,
  RUN_FAIL_LOST,
  RUN_RECORD_CANCELLED_USAGE,
  RUN_RELEASE,
} from '../run-sql.ts';
import { EVENT_TYPE, outcomeColumns, type TerminalStatus } from '../terminal-transitions.ts';
import type { PostgresDatabase, Sql } from './database.ts';
import { queueGetStats, runCountQueued } from './read-runs.ts';
import { deliveriesForEvent, insertDeliveriesForEvent } from './webhooks.ts';

/** The outbox event of a terminal transition and its deliveries; called inside that transaction. */
async function insertEvent(
  tx: Sql,
  e: { id: string; workspaceId: string; runId: string; status: TerminalStatus; at: number; dueAt?: number },
): Promise<void> {
  await tx.run(RUN_EVENT_INSERT, {
    id: e.id,
    workspaceId: e.workspaceId,
    runId: e.runId,
    type: EVENT_TYPE[e.status],
    at: e.at,
  });
  await insertDeliveriesForEvent(tx, {
    eventId: e.id,
    type: EVENT_TYPE[e.status],
    workspaceId: e.workspaceId,
    runId: e.runId,
    at: e.at,
    dueAt: e.dueAt,
  });
}

/**
 * One statement: lock the oldest queued runs no other claimer holds (SKIP LOCKED, so concurrent
 * workers never wait on each other nor take the same run), then mark them running under this
 * worker. The CTE is the fence that keeps the LIMIT applying to the locked rows.
 */
export async function runClaim(
  db: Sql,
  p: { workerId: string; limit: number; now: number; leaseMs: number; runTimeoutMs: number },
): Promise<ClaimedRun[]> {
  const rows = await db.all(
    `WITH next AS (
       SELECT id AS next_id FROM runs WHERE status = 'queued' ORDER BY id LIMIT $limit FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE runs SET status = 'running', worker_id = $workerId, attempt = attempt + 1,
         lease_expires_at = $leaseUntil, started_at = COALESCE(started_at, $now),
         deadline_at = COALESCE(deadline_at, $deadline)
       FROM next WHERE id = next.next_id
       RETURNING ${RUN_COLUMNS}, ${CLAIMED_INPUT_COLUMNS}
     )
     SELECT * FROM claimed ORDER BY id`,
    {
      workerId: p.workerId,
      leaseUntil: p.now + p.leaseMs,
      now: p.now,
      deadline: p.now + p.runTimeoutMs,
      limit: p.limit,
    },
  );
  return rows.map(toClaimedRun);
}

export async function runRenewLease(
  db: Sql,
  p: { workerId: string; runs: readonly { runId: string; attempt: number }[]; now: number; leaseMs: number },
): Promise<string[]> {
  if (p.runs.length === 0) return [];
  const rows = await db.all(
    `UPDATE runs r SET lease_expires_at = $leaseUntil
     FROM unnest($runIds::text[], $attempts::int[]) AS held(id, attempt)
     WHERE r.id = held.id AND r.attempt = held.attempt AND r.status = 'running' AND r.worker_id = $workerId
     RETURNING r.id`,
    {
      leaseUntil: p.now + p.leaseMs,
      runIds: p.runs.map((r) => r.runId),
      attempts: p.runs.map((r) => r.attempt),
      workerId: p.workerId,
    },
  );
  const renewed = new Set(rows.map((r) => String(r['id'])));
  return p.runs.filter((r) => renewed.has(r.runId)).map((r) => r.runId);
}

/**
 * The terminal transition, its outbox event and the event's deliveries in one statement (one round
 * trip, atomic like a transaction): the data-modifying CTEs see each other's RETURNING rows, so the
 * event exists only if the update happened, and the deliveries only with the event. The fencing
 * token (worker and attempt) makes a stale worker's completion change nothing. Answers the
 * finished run, as the update left it.
 */
export async function runFinish(
  db: Sql,
  p: { runId: string; workerId: string; attempt: number; now: number; outcome: RunOutcome; eventId: string },
): Promise<RunRecord | null> {
  const o = p.outcome;
  const row = await db.get(
    `WITH finished AS (
       UPDATE runs SET status = $status, completed_at = $now, lease_expires_at = NULL, output = $output,
         error_code = $errorCode, error_message = $errorMessage, error_user_message = $errorUserMessage, usage = $usage,
         reuse_key = $reuseKey
       WHERE id = $runId AND status = 'running' AND worker_id = $workerId AND attempt = $attempt
       RETURNING ${RUN_COLUMNS}
     ), event AS (
       INSERT INTO run_events (id, workspace_id, run_id, type, created_at)
       SELECT $eventId::text, workspace_id, $runId::text, $type::text, $now::bigint FROM finished
       RETURNING workspace_id
     ), deliveries AS (
       ${deliveriesForEvent('(SELECT workspace_id FROM event)')}
     )
     SELECT * FROM finished`,
    {
      ...outcomeColumns(o),
      now: p.now,
      dueAt: p.now,
      runId: p.runId,
      workerId: p.workerId,
      attempt: p.attempt,
      eventId: p.eventId,
      type: EVENT_TYPE[o.status],
    },
  );
  return row ? toRun(row) : null;
}

/** One statement: the usage, and the deliveries due, only when the run update applied. */
export async function runRecordCancelledUsage(
  db: Sql,
  p: { runId: string; workerId: string; attempt: number; usageJson: string | null; now: number },
): Promise<boolean> {
  const row = await db.get(
    `WITH recorded AS (${RUN_RECORD_CANCELLED_USAGE} RETURNING id),
     due AS (${DELIVERY_RELEASE_HELD('SELECT id FROM recorded')})
     SELECT id FROM recorded`,
    { runId: p.runId, workerId: p.workerId, attempt: p.attempt, usageJson: p.usageJson, dueAt: p.now },
  );
  return row !== null;
}

export async function runRelease(
  db: Sql,
  p: { runId: string; workerId: string; attempt: number },
): Promise<boolean> {
  return (await db.run(RUN_RELEASE, { runId: p.runId, workerId: p.workerId, attempt: p.attempt })) > 0;
}

/**
 * Every worker process runs this sweep: SKIP LOCKED lets concurrent sweeps split the expired runs
 * instead of queueing behind each other, and a run is re-queued or failed exactly once.
 */
export async function runRecoverExpiredLease(
  db: PostgresDatabase,
  p: { now: number; maxAttempts: number; newEventId: () => string },
): Promise<{ requeued: string[]; failed: string[] }> {
  return db.transaction(async (tx) => {
    const expired = await tx.all(
      `SELECT id, workspace_id, attempt FROM runs WHERE status = 'running' AND lease_expires_at < $now
       ORDER BY id FOR UPDATE SKIP LOCKED`,
      { now: p.now },
    );
    const requeued: string[] = [];
    const failed: string[] = [];
    for (const r of expired) {
      const runId = String(r['id']);
      if (Number(r['attempt']) >= p.maxAttempts) {
        await tx.run(RUN_FAIL_LOST, {
          now: p.now,
          message: RUN_FAILURES.worker_lost.message,
          userMessage: RUN_FAILURES.worker_lost.userMessage,
          runId,
        });
        await insertEvent(tx, {
          id: p.newEventId(),
          workspaceId: String(r['workspace_id']),
          runId,
          status: 'failed',
          at: p.now,
        });
        failed.push(runId);
      } else {
        requeued.push(runId);
      }
    }
    if (requeued.length) {
      await tx.run(
        `UPDATE runs SET status = 'queued', worker_id = NULL, lease_expires_at = NULL WHERE id = ANY($runIds::text[])`,
        { runIds: requeued },
      );
    }
    return { requeued, failed };
  });
}

export async function runCancel(
  db: PostgresDatabase,
  workspaceId: string,
  runId: string,
  now: number,
  eventId: string,
  settleBy?: number,
): Promise<CancelRunResult> {
  return db.transaction(async (tx): Promise<CancelRunResult> => {
    // The row lock orders this against a worker finishing the run at the same moment.
    const before = await tx.get(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $runId AND workspace_id = $workspaceId FOR UPDATE`,
      { runId, workspaceId },
    );
    if (!before) return { outcome: 'not_found' };
    const run = toRun(before);
    if (run.status === 'cancelled') return { outcome: 'already_cancelled', run };
    if (run.status === 'succeeded' || run.status === 'failed') return { outcome: 'not_cancellable', run };
    const after = await tx.get(
      `UPDATE runs SET status = 'cancelled', completed_at = $now, lease_expires_at = NULL, error_code = 'cancelled',
         error_message = $message, error_user_message = $userMessage WHERE id = $runId
       RETURNING ${RUN_COLUMNS}`,
      {
        now,
        message: RUN_FAILURES.cancelled.message,
        userMessage: RUN_FAILURES.cancelled.userMessage,
        runId,
      },
    );
    // A running run's webhooks wait for the usage its worker records on aborting (settleBy).
    const dueAt = run.status === 'running' ? settleBy : undefined;
    await insertEvent(tx, { id: eventId, workspaceId, runId, status: 'cancelled', at: now, dueAt });
    return { outcome: 'cancelled', run: toRun(after!) };
  });
}

/** The PostgreSQL QueueStore, from the statements above. */
export function postgresQueueStore(db: PostgresDatabase): QueueStore {
  return {
    runCountQueued: (w) => runCountQueued(db, w),
    queueGetStats: () => queueGetStats(db),
    runClaim: (p) => runClaim(db, p),
    runRenewLease: (p) => runRenewLease(db, p),
    runFinish: (p) => runFinish(db, p),
    runRecordCancelledUsage: (p) => runRecordCancelledUsage(db, p),
    runRelease: (p) => runRelease(db, p),
    runRecoverExpiredLease: (p) => runRecoverExpiredLease(db, p),
  };
}
