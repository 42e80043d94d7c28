import { ApiError } from '../errors/api-error.ts';
import { type Caller, visibleRunTypes } from '../keys/caller.ts';
import type { RunsDeps } from './deps.ts';
import type { RunRecord } from './records.ts';

/**
 * POST /v1/runs/{id}/cancel (SPEC §3.5). Queued and running runs become `cancelled` at once, in
 * one transaction with their event; the finish signal aborts the in-flight work of a running run.
 * Cancelling a cancelled run returns it again.
 */
export async function cancelRun(deps: RunsDeps, caller: Caller, runId: string): Promise<RunRecord> {
  const existing = await deps.store.runGet(caller.workspaceId, runId);
  if (!existing || !visibleRunTypes(caller).includes(existing.runType)) throw new ApiError('run_not_found');
  const result = await deps.store.runCancel(
    caller.workspaceId,
    runId,
    deps.clock.now(),
    `evt_${deps.ids.ulid()}`,
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
