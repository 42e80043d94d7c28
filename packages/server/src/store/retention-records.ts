/** The input kept after a purge: valid JSON, and plainly not a conversation. */
export const PURGED_INPUT = '{"purged":true}';

/** One pass of the retention job: what may go, and how much at most per kind (short transactions). */
export interface RetentionPass {
  now: number;
  /** Runs finished before this lose their input (conversation content); null keeps inputs. */
  inputsCompletedBefore: number | null;
  /** Webhook attempts started before this are deleted; null keeps them. */
  attemptsStartedBefore: number | null;
  limit: number;
}

/** Rows affected by one pass, per kind. */
export interface RetentionResult {
  idempotencyKeys: number;
  inputs: number;
  attempts: number;
}
