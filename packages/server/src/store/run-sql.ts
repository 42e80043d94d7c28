import { RUN_COLUMNS } from './row-mappers.ts';

/**
 * Run statements both dialects run as they are, written once (with prepared-inputs.ts,
 * queue-counts.ts, reusable-runs.ts and idempotency-keys.ts). Claims, the keyed create, finishing,
 * cancelling and the lease sweep differ and stay in each dialect.
 */

export const RUN_GET = `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $runId AND workspace_id = $workspaceId`;

/** Inside a transaction that just wrote the run, whatever its workspace. */
export const RUN_GET_UNSCOPED = `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $runId`;

/** The durations of the last 50 succeeded runs (queueGetStats takes their median). */
export const RUN_LIST_RECENT_DURATIONS = `SELECT completed_at - started_at AS d FROM runs
  WHERE status = 'succeeded' AND completed_at IS NOT NULL ORDER BY completed_at DESC LIMIT 50`;

export const RUN_EVENT_LIST = 'SELECT * FROM run_events WHERE run_id = $runId ORDER BY id';

export const RUN_EVENT_INSERT =
  'INSERT INTO run_events (id, workspace_id, run_id, type, created_at) VALUES ($id, $workspaceId, $runId, $type, $at)';

/**
 * Only for the run this worker and attempt held when it was cancelled; usage already written stays
 * (`$usageJson` may be null: the run made no model call, and is only being settled).
 */
export const RUN_RECORD_CANCELLED_USAGE = `UPDATE runs SET usage = COALESCE(usage, $usageJson)
  WHERE id = $runId AND status = 'cancelled' AND worker_id = $workerId AND attempt = $attempt`;

/**
 * The not yet attempted deliveries of the events of runs `runIds` (SQL: a parameter, or a
 * subquery), made due at `$dueAt`: a running run's cancellation inserts them held back (runCancel's
 * `settleBy`) until its worker has recorded what the aborted calls spent, and this releases them.
 */
export const DELIVERY_RELEASE_HELD = (
  runIds: string,
) => `UPDATE webhook_deliveries SET next_attempt_at = $dueAt
  WHERE event_id IN (SELECT id FROM run_events WHERE run_id IN (${runIds})) AND status = 'pending' AND attempts = 0`;

/** Back to the queue without counting the attempt, if this worker and attempt still hold it. */
export const RUN_RELEASE = `UPDATE runs SET status = 'queued', worker_id = NULL, lease_expires_at = NULL, attempt = attempt - 1
  WHERE id = $runId AND status = 'running' AND worker_id = $workerId AND attempt = $attempt`;

/** A run whose lease expired once too often. */
export const RUN_FAIL_LOST = `UPDATE runs SET status = 'failed', completed_at = $now, lease_expires_at = NULL, error_code = 'worker_lost',
    error_message = $message, error_user_message = $userMessage WHERE id = $runId`;
