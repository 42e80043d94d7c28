import { z } from 'zod';
import { createRunRoute } from '../../http/routes/runs.ts';
import { createRun } from '../../runs/create-run.ts';
import { TERMINAL_STATUSES } from '../../runs/records.ts';
import { parseIdempotencyKey } from '../../runs/request-schemas.ts';
import { waitForRun } from '../../runs/wait-for-run.ts';
import { ConciseRun, conciseRun, runText } from '../concise-run.ts';
import { defineTool } from '../tool.ts';
import { KitRef, runBody } from './kit-ref.ts';

export const WaitSeconds = z.int().min(0).max(60);

/** A hint for a run that is not finished yet: how to get its result. */
export function pollHint(runId: string, afterSeconds: number): string {
  return `The run is not finished yet. Call get_run with run_id "${runId}" and wait_seconds (up to 60) to wait for its result; a first check after about ${afterSeconds} s is reasonable.`;
}

export const createRunTool = defineTool({
  name: 'create_run',
  title: 'Run a Kit on a conversation',
  description:
    "Evaluates a conversation (a call transcript, emails or chat messages) with a Kit and returns each Brick's value, confidence, reason and quotes. Waits up to wait_seconds for the result; a run still going after that is returned queued or running, to be fetched with get_run. Pass input.transcript (text) or input.messages. Find Kits with list_kits.",
  input: z
    .object({
      kit: KitRef,
      input: createRunRoute.body.schema.shape.input,
      type: createRunRoute.body.schema.shape.type,
      wait_seconds: WaitSeconds.default(30).describe('How long to wait for the result (0 returns at once)'),
      idempotency_key: z
        .string()
        .optional()
        .describe('Same key and same request: the first run is returned instead of a new one'),
    })
    .strict(),
  // One `kit` instead of kit_code/kit_version_id, and wait_seconds instead of mode and Prefer;
  // the idempotency key is an argument, where REST has it in a header. The run is the concise view.
  output: z.object({
    run: ConciseRun,
    replayed: z.boolean().describe('True when idempotency_key returned an earlier run'),
    next_step: z.string().optional().describe('Present while the run is not finished'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  route: createRunRoute,
  async run({ deps, caller, pollHintSeconds, signal }, args) {
    const body = runBody({
      kit: args.kit,
      input: args.input,
      type: args.type,
      mode: args.wait_seconds > 0 ? 'sync' : 'async',
    });
    const idempotencyKey = parseIdempotencyKey(args.idempotency_key);
    const { run, replayed } = await createRun(deps, pollHintSeconds, caller, body, {
      idempotencyKey,
      requestId: `mcp_${deps.ids.ulid()}`,
    });
    const waitMs = Math.min(args.wait_seconds * 1_000, deps.config.syncWaitMs);
    const latest =
      waitMs > 0 && !TERMINAL_STATUSES.has(run.status)
        ? ((await waitForRun(deps, run.workspaceId, run.id, waitMs, signal)) ?? run)
        : run;
    const view = conciseRun(latest);
    if (TERMINAL_STATUSES.has(latest.status)) {
      return { structured: { run: view, replayed }, text: runText(view) };
    }
    const next_step = pollHint(latest.id, await pollHintSeconds());
    return { structured: { run: view, replayed, next_step }, text: `${runText(view)}\n${next_step}` };
  },
});
