import type { RunRecord } from '../runs/records.ts';
import type { ClaimedRun, RunEventRecord, RunOutcome } from './records.ts';

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

/**
 * The run as `finishRun` leaves it (both adapters write exactly outcomeColumns, completed_at and the
 * lease, and nothing else changes a running run held by its worker), so the finishing process need
 * not read it back.
 */
export function finishedRun(run: ClaimedRun, outcome: RunOutcome, now: number): RunRecord {
  const { inputJson: _input, preparedJson: _prepared, ...held } = run;
  const columns = outcomeColumns(outcome);
  return {
    ...held,
    status: columns.status,
    completedAt: now,
    leaseExpiresAt: null,
    outputJson: columns.output,
    errorCode: columns.errorCode,
    errorMessage: columns.errorMessage,
    errorUserMessage: columns.errorUserMessage,
    usageJson: columns.usage,
  };
}
