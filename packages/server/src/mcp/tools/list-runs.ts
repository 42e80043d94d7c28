import { z } from 'zod';
import { listRunsRoute } from '../../http/routes/runs.ts';
import { listRuns } from '../../runs/list-runs.ts';
import { ConciseRun, conciseFromDetail } from '../concise-run.ts';
import { MAX_PAGE } from '../page.ts';
import { defineTool } from '../tool.ts';

const RunList = listRunsRoute.responses[200].schema;

export const listRunsTool = defineTool({
  name: 'list_runs',
  title: 'List runs',
  description: `Lists runs, newest first, at most ${MAX_PAGE} per call, filtered by status, Kit, type and creation time. Pass next_cursor back as cursor for the next page. Results are not included: use get_run for a run's Bricks.`,
  // The REST filters; `limit` is capped at MAX_PAGE and `include` left out to keep pages small.
  input: listRunsRoute.query
    .pick({
      cursor: true,
      status: true,
      kit_code: true,
      run_type: true,
      created_after: true,
      created_before: true,
    })
    .extend({ limit: z.int().min(1).max(MAX_PAGE).default(10) }),
  output: z.object({
    runs: z.array(ConciseRun.omit({ bricks: true })),
    has_more: RunList.shape.has_more,
    next_cursor: RunList.shape.next_cursor,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  route: listRunsRoute,
  async run({ deps, caller }, args) {
    const page = await listRuns(deps, caller, args);
    const runs = page.data.map(conciseFromDetail);
    const lines = runs.map((r) => `- ${r.run_id} ${r.status} (Kit ${r.kit_code}, ${r.created_at})`);
    const more = page.has_more ? `\nMore: call list_runs with cursor "${page.next_cursor}".` : '';
    return {
      structured: { runs, has_more: page.has_more, next_cursor: page.next_cursor },
      text: `${runs.length} run(s):\n${lines.join('\n')}${more}`,
    };
  },
});
