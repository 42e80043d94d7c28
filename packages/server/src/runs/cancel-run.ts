import { ApiError } from '../errors/api-error.ts';
import { type Caller, visibleRunTypes } from '../keys/caller.ts';
import type { RunsDeps } from './deps.ts';
import type { RunRecord } from './records.ts';

/**
 * How long the webhooks of a running run's cancellation may wait for its worker to abort the work
 * and record what its model calls spent, so they carry the run's usage (SPEC §4, §11.4). The
 * worker makes them due as soon as it has (milliseconds, usually); this bounds the wait when it
 * never does (it died, or learns of the cancellation only at its next heartbeat).
 */
export const CANCELLATION_SETTLE_MS = 5_000;

/**
 * POST /v1/runs/{id}/cancel (SPEC §3.5). Queued and running runs become `cancelled` at once, in
 * one transaction with their event; the finish signal aborts the in-flight work of a running run.
 * The answer does not wait for that: only the event's deliveries do. Cancelling a cancelled run
 * returns it again.
 */
export async function cancelRun(deps: RunsDeps, caller: Caller, runId: string): Promise<RunRecord> {
  const existing = await deps.store.runGet(caller.workspaceId, runId);
  if (!existing || !visibleRunTypes(caller).includes(existing.runType)) throw new ApiError('run_not_found');
  const now = deps.clock.now();
  const result = await deps.store.runCancel(
    caller.workspaceId,
    runId,
    now,
    `evt_${deps.ids.ulid()}`,
    now + CANCELLATION_SETTLE_MS,
  );
  switch (result.outcome) {
    case 'not_found':
      throw new ApiError('run_not_found');
    case 'not_cancellable':
      throw new ApiError('run_not_cancellable', {
        message: `The run already ${result.run.status}; only queued or running runs can be cancelled.`,
        detail: { status: result.run.status },
      });
    case 'cancelled':
      deps.signals.runFinished(runId);
      return result.run;
    case 'already_cancelled':
      return result.run;
  }
}
