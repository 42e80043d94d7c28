/**
 * An engine thread (engine-threads.ts): normalises large inputs and runs the engines of the
 * registry that run on engine threads, off the thread that serves HTTP (SPEC §9.4). One piece of
 * work at a time; the pool terminates the thread when the run it works for is cancelled or late.
 */
import { parentPort } from 'node:worker_threads';
import type { EnginePlugin } from '../engines/engine-plugin.ts';
import { ENGINE_PLUGINS } from '../engines/registry.ts';
import { PatternQuarantine } from '../engines/tracker/guarded-patterns.ts';
import { parsePreparedInput, prepareInput } from '../evaluation/prepare-input.ts';
import type { EvaluateReply, ThreadReply, ThreadRequest } from './thread-messages.ts';
import { toThreadError } from './thread-messages.ts';

const port = parentPort!;
// Only the engines this thread runs are loaded (not the model SDKs).
const factories = new Map<string, Awaited<ReturnType<EnginePlugin['load']>>>(
  await Promise.all(
    ENGINE_PLUGINS.filter((plugin) => plugin.runsOn === 'engine-thread').map(
      async (plugin) => [plugin.name, await plugin.load()] as const,
    ),
  ),
);
// The pool cancels work by terminating this thread, so the engines' own signal never aborts.
const neverAborted = new AbortController().signal;

async function handle(request: ThreadRequest): Promise<unknown> {
  if (request.kind === 'prepare') return prepareInput(request.inputJson, request.limits);
  const { bricks, workspaceId } = request;
  const create = factories.get(request.engine);
  if (!create) throw new Error(`engine "${request.engine}" does not run on engine threads`);
  const { conversation, context } =
    'preparedJson' in request.input ? parsePreparedInput(request.input.preparedJson) : request.input;
  // The workspace's quarantine as the pool knew it; what this work adds goes back to the pool,
  // which dates it by its own clock (here it only lasts as long as the work).
  const quarantine = new PatternQuarantine();
  quarantine.addKeys(workspaceId, request.quarantined);
  const known = new Set(request.quarantined);
  const engine = create({ config: null, quarantine, patternBudgetMs: request.patternBudgetMs });
  const output = await engine({
    bricks,
    conversation,
    context,
    model: {},
    workspaceId,
    signal: neverAborted,
  });
  const quarantined = quarantine.keysOf(workspaceId).filter((key) => !known.has(key));
  return { output, quarantined } satisfies EvaluateReply;
}

port.on('message', ({ id, request }: { id: number; request: ThreadRequest }) => {
  handle(request).then(
    (value) => port.postMessage({ id, ok: true, value } satisfies ThreadReply),
    (error: unknown) =>
      port.postMessage({ id, ok: false, error: toThreadError(error) } satisfies ThreadReply),
  );
});
