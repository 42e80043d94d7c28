import type { BrickDefinition } from '../kits/brick.ts';

/** Rows as the rest of the server sees them. Times are milliseconds since the epoch. */

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
}

export type KeyMode = 'live' | 'test';
export type KeyRole = 'admin' | 'runner';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  keyHash: string;
  hint: string;
  mode: KeyMode;
  role: KeyRole;
  name: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Accurate to about a minute (keys/key-usage.ts); null when never used. */
  lastUsedAt: number | null;
}

/** One key's use, as the HTTP process batches them for the store. */
export interface KeyUse {
  keyId: string;
  at: number;
}

export interface BrickVersionRecord {
  id: string;
  workspaceId: string;
  key: string;
  version: number;
  definition: BrickDefinition;
  createdAt: number;
}

export interface KitRecord {
  id: string;
  workspaceId: string;
  code: string;
  name: string;
  createdAt: number;
}

/** Model settings a Kit may set; empty fields fall back to the server's configuration. */
export interface KitModelSettings {
  provider?: string;
  model?: string;
  /** Fail the whole run when any llm Brick cannot be judged, rather than return it with an error. */
  fail_on_brick_error?: boolean;
  /** Sampling temperature of the model calls; 0 when unset. */
  temperature?: number;
}

export type KitVersionStatus = 'draft' | 'published';

/** One immutable Kit version: a snapshot of its Bricks, each pinned to a Brick version. */
export interface KitVersionRecord {
  id: string;
  kitId: string;
  kitCode: string;
  workspaceId: string;
  version: number;
  status: KitVersionStatus;
  name: string;
  description: string;
  model: KitModelSettings;
  bricks: BrickDefinition[];
  createdAt: number;
  publishedAt: number | null;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export type RunType = 'api' | 'sandbox';
export type RunMode = 'async' | 'sync';

export interface RunRecord {
  id: string;
  workspaceId: string;
  status: RunStatus;
  runType: RunType;
  mode: RunMode;
  kitCode: string;
  kitVersionId: string;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  deadlineAt: number | null;
  attempt: number;
  workerId: string | null;
  leaseExpiresAt: number | null;
  /** JSON text of `input.metadata`, echoed on the run detail. */
  metadataJson: string | null;
  /** JSON text of `output`, present when succeeded. */
  outputJson: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorUserMessage: string | null;
  usageJson: string | null;
  requestId: string | null;
}

/** A claimed run carries its input, which only the executor needs. */
export interface ClaimedRun extends RunRecord {
  /** The input as prepared at creation (PreparedInput JSON); null for runs stored before it was kept. */
  preparedJson: string | null;
  /** The input as sent: read only when there is no preparedJson (the executor prepares it then). */
  inputJson: string | null;
}

export interface NewRun {
  id: string;
  workspaceId: string;
  runType: RunType;
  mode: RunMode;
  kitCode: string;
  kitVersionId: string;
  inputJson: string;
  /** PreparedInput JSON: the normalised conversation, so it is normalised once per run. */
  preparedJson: string | null;
  metadataJson: string | null;
  createdAt: number;
  requestId: string | null;
}

export interface IdempotencyClaim {
  /** Keys are scoped by workspace and mode: a test key's never meets a live key's (SPEC §9.1). */
  mode: KeyMode;
  key: string;
  /** Hash of the whole canonical request; equality means "the same request". */
  fingerprint: string;
  /** Hash per fingerprinted field, to name the fields that differ on a conflict. */
  fieldHashes: Record<string, string>;
  expiresAt: number;
}

export interface IdempotencyRecord {
  workspaceId: string;
  mode: KeyMode;
  key: string;
  fingerprint: string;
  fieldHashes: Record<string, string>;
  runId: string;
  expiresAt: number;
}

export type CreateRunResult =
  | { outcome: 'created'; run: RunRecord }
  | { outcome: 'replayed'; run: RunRecord }
  | { outcome: 'conflict'; fields: string[]; runId: string }
  /** The workspace already has `maxQueued` queued runs; nothing was written. */
  | { outcome: 'queue_full' };

export type CancelRunResult =
  | { outcome: 'cancelled'; run: RunRecord }
  | { outcome: 'already_cancelled'; run: RunRecord }
  | { outcome: 'not_cancellable'; run: RunRecord }
  | { outcome: 'not_found' };

export interface ListRunsQuery {
  workspaceId: string;
  limit: number;
  /** Only runs with an id below this one (the cursor of the previous page). */
  beforeId?: string;
  status?: RunStatus;
  kitCode?: string;
  runTypes: readonly RunType[];
  createdAfter?: number;
  createdBefore?: number;
}

export type RunOutcome =
  | { status: 'succeeded'; outputJson: string; usageJson: string }
  | {
      status: 'failed';
      errorCode: string;
      errorMessage: string;
      errorUserMessage: string;
      usageJson: string | null;
    };

/** Outbox row: written in the same transaction as a run's terminal transition. */
export interface RunEventRecord {
  id: string;
  workspaceId: string;
  runId: string;
  type: 'run.succeeded' | 'run.failed' | 'run.cancelled';
  createdAt: number;
}

export interface QueueStats {
  queued: number;
  /** Median duration of recently finished runs, or null when none finished yet. */
  recentDurationMs: number | null;
}

/** A console sign-in (SPEC §12): stands for its API key until `expiresAt`. */
export interface ConsoleSessionRecord {
  /** sha256 of the cookie's token: the token itself is never stored. */
  tokenHash: string;
  keyId: string;
  /** Sent back in a header on every write: a cross-site form cannot know it. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}
