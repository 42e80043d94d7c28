import type { RetentionPass, RetentionResult } from './retention-records.ts';

/** The cleaning part of the Store (the retention job). */
export interface RetentionStore {
  /**
   * One bounded pass: deletes expired idempotency keys and (when asked) old webhook attempts, and
   * replaces the inputs of runs finished before the cut-off; at most `limit` rows of each kind.
   */
  retentionPurgeExpired(pass: RetentionPass): Promise<RetentionResult>;
}
