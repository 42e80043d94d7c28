import type { KeyMode } from '../keys/records.ts';
import type { RunMode, RunRecord, RunStatus, RunType } from '../runs/records.ts';

/**
 * What the store's methods take and give besides the domain records (which live with their
 * concept: runs/records.ts, kits/records.ts, keys/records.ts, …). Times are ms since the epoch.
 */

/** One key's use, as the HTTP process batches them for the store. */
export interface KeyUse {
  keyId: string;
  at: number;
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
  | {
      status: 'succeeded';
      outputJson: string;
      usageJson: string;
      /** Set when a later identical run may reuse this output (SPEC §11.5). */
      reuseKey?: string | null;
    }
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
