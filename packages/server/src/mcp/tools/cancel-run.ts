import { z } from 'zod';
import { cancelRunRoute } from '../../http/routes/runs.ts';
import { cancelRun } from '../../runs/cancel-run.ts';
import { getRun } from '../../runs/get-run.ts';
import { ConciseRun, conciseRun, runText } from '../concise-run.ts';
import { defineTool } from '../tool.ts';
import { RunId } from './get-run.ts';

export const cancelRunTool = defineTool({
  name: 'cancel_run',
  title: 'Cancel a run',
  description:
    'Cancels a queued or running run: it stops and produces no result. A finished run cannot be cancelled; cancelling a cancelled run returns it again.',
  input: z.object({ run_id: RunId }).strict(),
  output: z.object({ run: ConciseRun }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  route: cancelRunRoute,
  async run({ deps, caller }, args) {
    // The run id is checked as GET checks it, so a malformed id is `run_not_found` as on REST.
    await getRun(deps, caller, args.run_id);
    const view = conciseRun(await cancelRun(deps, caller, args.run_id));
    return { structured: { run: view }, text: runText(view) };
  },
});
