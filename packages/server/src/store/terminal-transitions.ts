import type { RunEventRecord } from './records.ts';

/** The outbox event type written with each terminal status (both adapters). */
export const EVENT_TYPE = {
  succeeded: 'run.succeeded',
  failed: 'run.failed',
  cancelled: 'run.cancelled',
} as const satisfies Record<string, RunEventRecord['type']>;

export type TerminalStatus = keyof typeof EVENT_TYPE;

export const CANCELLED_MESSAGE = 'The run was cancelled by request.';
export const CANCELLED_USER_MESSAGE = 'This analysis was cancelled before it finished.';
export const WORKER_LOST_MESSAGE = 'The worker executing the run stopped responding on every attempt.';
export const WORKER_LOST_USER_MESSAGE = 'This analysis could not be completed. Please try again.';
