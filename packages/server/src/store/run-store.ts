import type { KeyMode } from '../keys/records.ts';
import type { RunRecord } from '../runs/records.ts';
import type {
  CancelRunResult,
  CreateRunResult,
  IdempotencyClaim,
  IdempotencyRecord,
  ListRunsQuery,
  NewRun,
  RunEventRecord,
} from './records.ts';

/**
 * The API side of runs: create (with idempotency keys and the queue cap), read, list, cancel, and
 * the run's outbox events.
 */
export interface RunStore {
  /**
   * Inserts a queued run, unless its workspace already has `maxQueued` queued runs (exact under
   * any concurrency: the count is checked in the transaction that inserts). With an idempotency
   * claim, the key is recorded in the same transaction; if the key exists (and has not expired)
   * the existing run is returned, or a conflict naming the fields whose hashes differ, even when
   * the queue is full. Concurrent identical requests coalesce into one run.
   */
  runInsert(
    run: NewRun,
    idempotency: IdempotencyClaim | null,
    now: number,
    maxQueued: number,
  ): Promise<CreateRunResult>;
  /** A key is live while `expiresAt > now`; at `expiresAt` it may be reused. */
  idempotencyKeyGet(
    workspaceId: string,
    mode: KeyMode,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | null>;
  runGet(workspaceId: string, runId: string): Promise<RunRecord | null>;
  /** The run's prepared input (PreparedInput JSON); null when the run is unknown, or it was purged. */
  runGetPreparedInput(workspaceId: string, runId: string): Promise<string | null>;
  /** The newest succeeded run of the workspace with this reuse key (SPEC §11.5), with its output. */
  runGetReusable(
    workspaceId: string,
    reuseKey: string,
  ): Promise<{ runId: string; outputJson: string } | null>;
  /** The run's input JSON as it was sent; null when the run is unknown, or it was purged. */
  runGetInput(workspaceId: string, runId: string): Promise<string | null>;
  /**
   * Runs newest first; returns up to `limit + 1` rows so the caller knows whether more exist.
   * `createdAfter` and `createdBefore` are exclusive bounds.
   */
  runList(query: ListRunsQuery): Promise<RunRecord[]>;
  /**
   * Queued or running → cancelled at once, with its event; terminal runs are left alone. The
   * event's deliveries are due at `now` for a queued run, and at `settleBy` (when given) for a
   * running one, so they carry the usage its worker records on aborting
   * (`runRecordCancelledUsage`), which makes them due at once; `settleBy` bounds the wait when no
   * worker does.
   */
  runCancel(
    workspaceId: string,
    runId: string,
    now: number,
    eventId: string,
    settleBy?: number,
  ): Promise<CancelRunResult>;

  // Events (outbox)
  runEventList(runId: string): Promise<RunEventRecord[]>;
}
