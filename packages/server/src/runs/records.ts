/** A run as the rest of the server sees it (times in ms since the epoch). */

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
