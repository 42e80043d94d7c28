import { ApiError } from '../errors/api-error.ts';
import { type Caller, visibleRunTypes } from '../keys/caller.ts';
import type { RunsDeps } from './deps.ts';
import type { RunRecord } from './records.ts';

const RUN_ID = /^run_[0-9A-Z]{26}$/;

/** A run the caller may see (its workspace, and sandbox runs only for test keys), or `run_not_found`. */
export async function getRun(
  deps: Pick<RunsDeps, 'store'>,
  caller: Caller,
  runId: string,
): Promise<RunRecord> {
  const run = RUN_ID.test(runId) ? await deps.store.runGet(caller.workspaceId, runId) : null;
  if (!run || !visibleRunTypes(caller).includes(run.runType)) throw new ApiError('run_not_found');
  return run;
}
