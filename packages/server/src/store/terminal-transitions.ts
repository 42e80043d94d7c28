import type { RunEventRecord, RunOutcome } from './records.ts';

/** The outbox event type written with each terminal status (both adapters). */
export const EVENT_TYPE = {
  succeeded: 'run.succeeded',
  failed: 'run.failed',
  cancelled: 'run.cancelled',
} as const satisfies Record<string, RunEventRecord['type']>;

export type TerminalStatus = keyof typeof EVENT_TYPE;

/** The run columns a finish writes for an outcome, as SQL parameters (both adapters). */
export function outcomeColumns(outcome: RunOutcome) {
  return {
    status: outcome.status,
    output: outcome.status === 'succeeded' ? outcome.outputJson : null,
    errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
    errorMessage: outcome.status === 'failed' ? outcome.errorMessage : null,
    errorUserMessage: outcome.status === 'failed' ? outcome.errorUserMessage : null,
    usage: outcome.usageJson,
    reuseKey: outcome.status === 'succeeded' ? (outcome.reuseKey ?? null) : null,
  };
}
