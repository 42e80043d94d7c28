import type { ConsoleSessionRecord } from '../console/records.ts';
import type { ApiKeyRecord, KeyMode } from '../keys/records.ts';
import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';
import type { RunRecord } from '../runs/records.ts';
import type { WorkspaceRecord } from '../workspaces/records.ts';
import type {
  CancelRunResult,
  ClaimedRun,
  CreateRunResult,
  IdempotencyClaim,
  IdempotencyRecord,
  KeyUse,
  ListRunsQuery,
  NewRun,
  QueueStats,
  RunEventRecord,
  RunOutcome,
} from './records.ts';
import type { RetentionPass, RetentionResult } from './retention-records.ts';
import type { WebhookStore } from './webhook-store.ts';

/**
 * The only way the server touches storage. Two adapters implement it (SQLite, PostgreSQL) and one
 * conformance suite holds them to the same behaviour. Every method is atomic.
 */
/** What revoking a workspace's key did; `key` is the key as it is now. */
export type RevokeKeyOutcome =
  | { result: 'revoked' | 'already_revoked'; key: ApiKeyRecord }
  | { result: 'not_found' | 'last_admin_key' };

export interface Store extends WebhookStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Cheap round trip, for readiness checks. Throws when storage is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Workspaces and API keys
  countWorkspaces(): Promise<number>;
  insertWorkspace(workspace: WorkspaceRecord): Promise<void>;
  findWorkspaceByName(name: string): Promise<WorkspaceRecord | null>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  listApiKeys(workspaceId: string | null): Promise<ApiKeyRecord[]>;
  /** Returns false when there is no such key or it was already revoked. */
  revokeApiKey(keyId: string, at: number): Promise<boolean>;
  /** Moves each key's last use forward to `at` (never back); unknown keys are ignored. */
  recordKeyUses(uses: readonly KeyUse[]): Promise<void>;
  /**
   * Revokes a workspace's key unless it is the workspace's last live admin key (live, admin, not
   * revoked, not expired at `at`): a workspace must keep one key that can manage it (SPEC §12).
   */
  revokeWorkspaceApiKey(workspaceId: string, keyId: string, at: number): Promise<RevokeKeyOutcome>;

  // Console sessions
  /** Inserts a session and deletes sessions that expired before `session.createdAt`. */
  insertConsoleSession(session: ConsoleSessionRecord): Promise<void>;
  /** The session and its key, however the key stands now (revoked, expired): the caller decides. */
  findConsoleSession(tokenHash: string): Promise<{ session: ConsoleSessionRecord; key: ApiKeyRecord } | null>;
  deleteConsoleSession(tokenHash: string): Promise<void>;

  // Bricks and Kits
  insertBrickVersion(brick: BrickVersionRecord): Promise<void>;
  latestBrickVersion(workspaceId: string, key: string): Promise<BrickVersionRecord | null>;
  insertKit(kit: KitRecord): Promise<void>;
  findKitByCode(workspaceId: string, code: string): Promise<KitRecord | null>;
  /** The oldest Kit with this name in the workspace (Kit files without a code are matched by name). */
  findKitByName(workspaceId: string, name: string): Promise<KitRecord | null>;
  /** Kit codes are unique per workspace (SPEC §9.2): another workspace's codes are never seen. */
  kitCodeExists(workspaceId: string, code: string): Promise<boolean>;
  insertKitVersion(version: KitVersionRecord): Promise<void>;
  publishKitVersion(versionId: string, at: number): Promise<boolean>;
  latestKitVersion(kitId: string): Promise<KitVersionRecord | null>;
  latestPublishedKitVersion(kitId: string): Promise<KitVersionRecord | null>;
  /**
   * What a run created by Kit code needs, in one lookup: null when the workspace has no Kit with
   * this code, `versionId: null` when it has no published version.
   */
  publishedKitVersionId(workspaceId: string, code: string): Promise<{ versionId: string | null } | null>;
  findKitVersion(workspaceId: string, versionId: string): Promise<KitVersionRecord | null>;
  /** For the executor: a run's Kit version, whatever its workspace. */
  getKitVersion(versionId: string): Promise<KitVersionRecord | null>;

  // Brick and Kit management (the /v1/bricks and /v1/kits endpoints)
  /**
   * Inserts a Brick version unless the workspace already has this key at this version; returns
   * false (and writes nothing) when it does, so concurrent writers can pick the next number.
   */
  insertBrickVersionIfNew(brick: BrickVersionRecord): Promise<boolean>;
  findBrickVersion(workspaceId: string, key: string, version: number): Promise<BrickVersionRecord | null>;
  /** Every version of one Brick, newest first; empty when the workspace has no such Brick. */
  listBrickVersions(workspaceId: string, key: string): Promise<BrickVersionRecord[]>;
  /** The latest version of every Brick in the workspace, by key. */
  listLatestBrickVersions(workspaceId: string): Promise<BrickVersionRecord[]>;
  /** Kits of the workspace, newest first. */
  listKits(workspaceId: string): Promise<KitRecord[]>;
  /**
   * A new Kit and its first version, in one transaction. Returns false (and writes nothing) when
   * the code is taken in its workspace.
   */
  insertKitWithFirstVersion(kit: KitRecord, version: KitVersionRecord): Promise<boolean>;
  /** Inserts a Kit version unless the Kit already has this version number; false when it does. */
  insertKitVersionIfNew(version: KitVersionRecord): Promise<boolean>;
  /** Every version of one Kit, newest first. */
  listKitVersions(kitId: string): Promise<KitVersionRecord[]>;

  // Runs
  /**
   * Inserts a queued run, unless its workspace already has `maxQueued` queued runs (exact under
   * any concurrency: the count is checked in the transaction that inserts). With an idempotency
   * claim, the key is recorded in the same transaction; if the key exists (and has not expired)
   * the existing run is returned, or a conflict naming the fields whose hashes differ, even when
   * the queue is full. Concurrent identical requests coalesce into one run.
   */
  createRun(
    run: NewRun,
    idempotency: IdempotencyClaim | null,
    now: number,
    maxQueued: number,
  ): Promise<CreateRunResult>;
  /** A key is live while `expiresAt > now`; at `expiresAt` it may be reused. */
  findIdempotencyKey(
    workspaceId: string,
    mode: KeyMode,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | null>;
  getRun(workspaceId: string, runId: string): Promise<RunRecord | null>;
  /** The run's prepared input (PreparedInput JSON); null when the run is unknown, or it was purged. */
  getPreparedInput(workspaceId: string, runId: string): Promise<string | null>;
  /** The newest succeeded run of the workspace with this reuse key (SPEC §11.5), with its output. */
  findReusableRun(
    workspaceId: string,
    reuseKey: string,
  ): Promise<{ runId: string; outputJson: string } | null>;
  /** The run's input JSON as it was sent; null when the run is unknown, or it was purged. */
  getRunInput(workspaceId: string, runId: string): Promise<string | null>;
  /**
   * Runs newest first; returns up to `limit + 1` rows so the caller knows whether more exist.
   * `createdAfter` and `createdBefore` are exclusive bounds.
   */
  listRuns(query: ListRunsQuery): Promise<RunRecord[]>;
  /** Queued or running → cancelled at once, with its event; terminal runs are left alone. */
  cancelRun(workspaceId: string, runId: string, now: number, eventId: string): Promise<CancelRunResult>;
  /** Queued runs in the workspace (a count kept with every change of a run's status). */
  countQueuedRuns(workspaceId: string): Promise<number>;
  /** Queued runs of all workspaces, and the median (upper middle) of the last 50 run durations. */
  queueStats(): Promise<QueueStats>;

  // Execution
  /**
   * Claims up to `limit` queued runs, oldest first: status running, attempt + 1, a lease, and (on
   * the first attempt) started_at and the deadline.
   */
  claimRuns(params: {
    workerId: string;
    limit: number;
    now: number;
    leaseMs: number;
    runTimeoutMs: number;
  }): Promise<ClaimedRun[]>;
  /** Extends the leases this worker still holds; returns the ids it still holds. */
  renewLeases(params: {
    workerId: string;
    runs: readonly { runId: string; attempt: number }[];
    now: number;
    leaseMs: number;
  }): Promise<string[]>;
  /**
   * The terminal transition, with its outbox event, in one transaction. Applies only when the run
   * is still running under this worker and attempt (a fencing token): returns false otherwise.
   */
  finishRun(params: {
    runId: string;
    workerId: string;
    attempt: number;
    now: number;
    outcome: RunOutcome;
    eventId: string;
  }): Promise<boolean>;
  /**
   * The usage of a run cancelled while this worker and attempt ran it, written once its in-flight
   * model calls were aborted (SPEC §11.4); false when the run is not that cancelled run or has usage.
   */
  recordCancelledUsage(params: {
    runId: string;
    workerId: string;
    attempt: number;
    usageJson: string;
  }): Promise<boolean>;
  /** Hands a run back to the queue without counting the attempt (graceful shutdown). */
  releaseRun(params: { runId: string; workerId: string; attempt: number }): Promise<boolean>;
  /**
   * Runs whose lease expired (`leaseExpiresAt < now`): re-queued, or failed with `worker_lost` once `maxAttempts` were used.
   */
  recoverExpiredLeases(params: {
    now: number;
    maxAttempts: number;
    newEventId: () => string;
  }): Promise<{ requeued: string[]; failed: string[] }>;

  // Events (outbox)
  listRunEvents(runId: string): Promise<RunEventRecord[]>;

  // Retention
  /**
   * One bounded pass: deletes expired idempotency keys and (when asked) old webhook attempts, and
   * replaces the inputs of runs finished before the cut-off; at most `limit` rows of each kind.
   */
  purgeExpired(pass: RetentionPass): Promise<RetentionResult>;
}
