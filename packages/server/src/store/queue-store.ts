import type { RunRecord } from '../runs/records.ts';
import type { ClaimedRun, QueueStats, RunOutcome } from './records.ts';

/** The worker side of runs: claims, leases, the terminal transition, and what the queue holds. */
export interface QueueStore {
  /** Queued runs in the workspace (a count kept with every change of a run's status). */
  runCountQueued(workspaceId: string): Promise<number>;
  /** Queued runs of all workspaces, and the median (upper middle) of the last 50 run durations. */
  queueGetStats(): Promise<QueueStats>;

  // Execution
  /**
   * Claims up to `limit` queued runs, oldest first: status running, attempt + 1, a lease, and (on
   * the first attempt) started_at and the deadline.
   */
  runClaim(params: {
    workerId: string;
    limit: number;
    now: number;
    leaseMs: number;
    runTimeoutMs: number;
  }): Promise<ClaimedRun[]>;
  /** Extends the leases this worker still holds; returns the ids it still holds. */
  runRenewLease(params: {
    workerId: string;
    runs: readonly { runId: string; attempt: number }[];
    now: number;
    leaseMs: number;
  }): Promise<string[]>;
  /**
   * The terminal transition, with its outbox event, in one transaction. Applies only when the run
   * is still running under this worker and attempt (a fencing token). Answers the run as stored
   * after the transition, or null when it did not apply.
   */
  runFinish(params: {
    runId: string;
    workerId: string;
    attempt: number;
    now: number;
    outcome: RunOutcome;
    eventId: string;
  }): Promise<RunRecord | null>;
  /**
   * Settles a run cancelled while this worker and attempt ran it, once its in-flight work was
   * aborted: writes the usage its model calls spent (SPEC §11.4) unless it has usage already, and
   * makes its event's held-back deliveries due at `now`, so the webhook carries that usage. False
   * when the run is not that cancelled run (nothing is written).
   */
  runRecordCancelledUsage(params: {
    runId: string;
    workerId: string;
    attempt: number;
    /** Null when it made no model call: only the deliveries are released. */
    usageJson: string | null;
    now: number;
  }): Promise<boolean>;
  /** Hands a run back to the queue without counting the attempt (graceful shutdown). */
  runRelease(params: { runId: string; workerId: string; attempt: number }): Promise<boolean>;
  /**
   * Runs whose lease expired (`leaseExpiresAt < now`): re-queued, or failed with `worker_lost` once `maxAttempts` were used.
   */
  runRecoverExpiredLease(params: {
    now: number;
    maxAttempts: number;
    newEventId: () => string;
  }): Promise<{ requeued: string[]; failed: string[] }>;
}
