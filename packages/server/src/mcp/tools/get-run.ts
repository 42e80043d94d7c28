import { z } from 'zod';
import { getRunRoute } from '../../http/routes/runs.ts';
import { getRun } from '../../runs/get-run.ts';
import { TERMINAL_STATUSES } from '../../runs/records.ts';
import { runDetail } from '../../runs/run-view.ts';
import { waitForRun } from '../../runs/wait-for-run.ts';
import { ConciseRun, conciseRun, runText } from '../concise-run.ts';
import { defineTool } from '../tool.ts';
import { pollHint, WaitSeconds } from './create-run.ts';

export const RunId = getRunRoute.params.shape.runId
  .min(1)
  .max(64)
  .describe('"run_…", as create_run or list_runs returned it');

export const getRunTool = defineTool({
  name: 'get_run',
  title: 'Get a run',
  description:
    'Returns a run and, once it succeeded, each Brick\'s value, confidence, reason and up to 3 quotes. wait_seconds waits for an unfinished run to finish. detail "full" adds the complete run (every quote with its position, usage).',
  // wait_seconds stands for Prefer: wait; the run comes concise unless detail asks for it all.
  input: z
    .object({
      run_id: RunId,
      wait_seconds: WaitSeconds.default(0).describe('Wait up to this long for an unfinished run'),
      detail: z.enum(['concise', 'full']).default('concise'),
    })
    .strict(),
  output: z.object({
    run: ConciseRun,
    full: getRunRoute.responses[200].schema
      .optional()
      .describe('With detail "full": the run as GET /v1/runs/{id} returns it'),
    next_step: z.string().optional().describe('Present while the run is not finished'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: getRunRoute,
  async run({ deps, caller, pollHintSeconds, signal }, args) {
    let run = await getRun(deps, caller, args.run_id);
    if (args.wait_seconds > 0 && !TERMINAL_STATUSES.has(run.status)) {
      run = (await waitForRun(deps, run.workspaceId, run.id, args.wait_seconds * 1_000, signal)) ?? run;
    }
    const view = conciseRun(run);
    const full = args.detail === 'full' ? { full: runDetail(run) } : {};
    if (TERMINAL_STATUSES.has(run.status)) {
      return { structured: { run: view, ...full }, text: runText(view) };
    }
    const next_step = pollHint(run.id, await pollHintSeconds());
    return { structured: { run: view, ...full, next_step }, text: `${runText(view)}\n${next_step}` };
  },
});
