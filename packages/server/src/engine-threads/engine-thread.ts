/**
 * An engine thread (engine-threads.ts): normalises large inputs and runs the deterministic engines
 * off the thread that serves HTTP (SPEC §9.4). One piece of work at a time; the pool terminates
 * the thread when the run it works for is cancelled or past its deadline.
 */
import { parentPort } from 'node:worker_threads';
import { perBrick } from '../evaluation/engine.ts';
import { PatternQuarantine } from '../evaluation/engines/guarded-patterns.ts';
import { metricEngine } from '../evaluation/engines/metric.ts';
import { createTrackerEngine } from '../evaluation/engines/tracker.ts';
import { parsePreparedInput, prepareInput } from '../evaluation/prepare-input.ts';
import type { EvaluateReply, ThreadReply, ThreadRequest } from './thread-messages.ts';
import { toThreadError } from './thread-messages.ts';

const port = parentPort!;
const metric = perBrick(metricEngine);
// The pool cancels work by terminating this thread, so the engines' own signal never aborts.
const neverAborted = new AbortController().signal;

async function handle(request: ThreadRequest): Promise<unknown> {
  if (request.kind === 'prepare') return prepareInput(request.inputJson, request.limits);
  const { bricks, workspaceId } = request;
  const { conversation, context } =
    'preparedJson' in request.input ? parsePreparedInput(request.input.preparedJson) : request.input;
  const input = { bricks, conversation, context, model: {}, workspaceId, signal: neverAborted };
  if (request.engine === 'metric')
    return { output: await metric(input), quarantined: [] } satisfies EvaluateReply;
  // The workspace's quarantine as the pool knew it; what this work adds goes back to the pool.
  const now = Date.now();
  const quarantine = new PatternQuarantine();
  quarantine.addKeys(workspaceId, request.quarantined, now);
  const known = new Set(request.quarantined);
  const tracker = createTrackerEngine({ quarantine, patternBudgetMs: request.patternBudgetMs });
  const output = await tracker(input);
  const quarantined = quarantine.keysOf(workspaceId, now).filter((key) => !known.has(key));
  return { output, quarantined } satisfies EvaluateReply;
}

port.on('message', ({ id, request }: { id: number; request: ThreadRequest }) => {
  handle(request).then(
    (value) => port.postMessage({ id, ok: true, value } satisfies ThreadReply),
    (error: unknown) =>
      port.postMessage({ id, ok: false, error: toThreadError(error) } satisfies ThreadReply),
  );
});
