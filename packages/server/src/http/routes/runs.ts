import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { cancelRun } from '../../runs/cancel-run.ts';
import { conversationView } from '../../runs/conversation-view.ts';
import { createRun } from '../../runs/create-run.ts';
import { getRun } from '../../runs/get-run.ts';
import { listRuns } from '../../runs/list-runs.ts';
import { type RunRecord, TERMINAL_STATUSES } from '../../runs/records.ts';
import {
  CreateRunBody,
  GetRunQuery,
  ListRunsQuery,
  parseCreateRunBody,
  parseIdempotencyKey,
  parsePreferWait,
} from '../../runs/request-schemas.ts';
import { runDetailJson } from '../../runs/run-view.ts';
import { waitForRun } from '../../runs/wait-for-run.ts';
import { clientGone } from '../client-gone.ts';
import { CONDITIONAL_HEADERS, NOT_MODIFIED } from '../conditional-get.ts';
import { sentHeader } from '../repeated-headers.ts';
import { RunDetail, RunList } from '../response-schemas.ts';
import { answer, defineRoute, type JsonText, type RouteDeps } from '../route.ts';

const RUN_ID = /^run_[0-9A-Z]{26}$/;

export const RunIdParams = z.object({ runId: z.string().describe('"run_" + ULID') });

type Detail = JsonText<z.output<typeof RunDetail>>;
// Run details are assembled field by field (run-view.ts); the response test checks them.
type RunPage = z.output<typeof RunList>;

const detailOf = (run: RunRecord, extra: object = {}): Detail => runDetailJson(run, extra);

/** Retry-After for a run that is not finished: when polling it again makes sense. */
async function pollHeaders(deps: RouteDeps, run: RunRecord): Promise<{ 'Retry-After'?: string }> {
  return TERMINAL_STATUSES.has(run.status) ? {} : { 'Retry-After': String(await deps.pollHintSeconds()) };
}

const SAMPLE_TRANSCRIPT =
  'Rep: Thanks for joining. What made you look at us?\nProspect: Our renewal is in March and the current tool is too slow.';

export const createRunRoute = defineRoute({
  operationId: 'createRun',
  method: 'POST',
  path: '/v1/runs',
  tag: 'Runs',
  summary: 'Create a run',
  description:
    'Async (default): 202 with the queued run and a Retry-After hint. Sync (`mode: "sync"` or ' +
    '`Prefer: wait=N`): 200 with the terminal run, or 202 with `sync_fallback: true` and `waited_ms`.',
  access: { role: 'runner', bucket: 'create' },
  headers: ['Idempotency-Key', 'Prefer'],
  body: {
    schema: CreateRunBody,
    parse: parseCreateRunBody,
    examples: {
      async: {
        summary: 'A call transcript, answered at once (poll for the result)',
        value: {
          kit_code: 'A1B2C3D4',
          input: { transcript: SAMPLE_TRANSCRIPT, metadata: { call_id: 'c-42' } },
        },
      },
      sync: {
        summary: 'An email thread, waiting for the result',
        value: {
          kit_code: 'A1B2C3D4',
          mode: 'sync',
          input: {
            messages: [
              { from: 'dana@customer.example', text: 'Can you send pricing for 40 seats?' },
              { from: 'sam@company.example', text: 'Attached: 40 seats at the team tier.' },
            ],
            participants: [{ name: 'sam@company.example', side: 'company' }],
          },
        },
      },
      sandbox: {
        summary: 'A sandbox run: placeholder output, no model call',
        value: { kit_code: 'A1B2C3D4', type: 'sandbox', input: { transcript: SAMPLE_TRANSCRIPT } },
      },
    },
  },
  responses: {
    200: {
      description: 'Sync run finished (read `status`)',
      schema: RunDetail,
      headers: { Location: true, 'Idempotent-Replayed': false, 'Preference-Applied': false },
    },
    202: {
      description: 'Run accepted (or sync fallback): poll it after Retry-After',
      schema: RunDetail,
      headers: {
        Location: true,
        // Absent when an async create replays a run that has finished since.
        'Retry-After': false,
        'Idempotent-Replayed': false,
        'Preference-Applied': false,
      },
    },
  },
  errors: [
    'kit_code_or_kit_version_id_required',
    'input_must_be_object',
    'invalid_run_type',
    'invalid_run_mode',
    'invalid_idempotency_key',
    'kit_not_found',
    'idempotency_key_conflict',
    'kit_not_published',
    'input_invalid',
    'input_too_large',
    'rate_limited',
  ],
  async handler({ request, reply, deps, caller, body: readBody }) {
    const body = readBody();
    const idempotencyKey = parseIdempotencyKey(sentHeader(request, 'idempotency-key'));
    const preferWait = parsePreferWait(request.headers.prefer);
    if (preferWait !== null) body.mode = 'sync';
    const { run, replayed } = await createRun(deps, deps.pollHintSeconds, caller, body, {
      idempotencyKey,
      requestId: request.id,
    });
    const headers = {
      Location: `/v1/runs/${run.id}`,
      ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    };
    if (body.mode === 'async') {
      return answer(202, detailOf(run), { ...headers, ...(await pollHeaders(deps, run)) });
    }
    const waitMs =
      preferWait === null ? deps.config.syncWaitMs : Math.min(preferWait * 1_000, deps.config.syncWaitMs);
    const applied = preferWait === null ? {} : { 'Preference-Applied': `wait=${Math.round(waitMs / 1_000)}` };
    const started = performance.now();
    const latest =
      (await waitForRun(deps, run.workspaceId, run.id, waitMs, clientGone(request, reply))) ?? run;
    if (TERMINAL_STATUSES.has(latest.status)) {
      return answer(200, detailOf(latest), { ...headers, ...applied });
    }
    const fallback = { sync_fallback: true, waited_ms: Math.round(performance.now() - started) };
    return answer(202, detailOf(latest, fallback), {
      ...headers,
      ...applied,
      'Retry-After': String(await deps.pollHintSeconds()),
    });
  },
});

export const getRunRoute = defineRoute({
  operationId: 'getRun',
  method: 'GET',
  path: '/v1/runs/{runId}',
  tag: 'Runs',
  summary: 'Get a run (optionally long-polling with Prefer: wait=N)',
  access: { role: 'runner', bucket: 'read' },
  params: RunIdParams,
  query: GetRunQuery,
  headers: ['Prefer'],
  responses: {
    200: {
      description: 'The run; Retry-After while it is not finished',
      schema: RunDetail,
      headers: { 'Retry-After': false, 'Preference-Applied': false },
    },
  },
  errors: ['run_not_found'],
  async handler({ request, reply, deps, caller, params, query: readQuery }) {
    const query = readQuery();
    let run = await getRun(deps, caller, params.runId);
    const preferWait = parsePreferWait(request.headers.prefer);
    const applied = preferWait === null ? {} : { 'Preference-Applied': `wait=${preferWait}` };
    if (preferWait !== null && !TERMINAL_STATUSES.has(run.status)) {
      run =
        (await waitForRun(deps, run.workspaceId, run.id, preferWait * 1_000, clientGone(request, reply))) ??
        run;
    }
    const extra =
      query.include === 'conversation'
        ? { conversation: conversationView(await deps.store.runGetPreparedInput(run.workspaceId, run.id)) }
        : query.include === 'input'
          ? { input: parsedInput(await deps.store.runGetInput(run.workspaceId, run.id)) }
          : {};
    return answer(200, detailOf(run, extra), { ...applied, ...(await pollHeaders(deps, run)) });
  },
});

/** The input as sent (JSON text in the store); null once retention purged it. */
function parsedInput(json: string | null): Record<string, unknown> | null {
  return json === null ? null : (JSON.parse(json) as Record<string, unknown>);
}

export const listRunsRoute = defineRoute({
  operationId: 'listRuns',
  method: 'GET',
  path: '/v1/runs',
  tag: 'Runs',
  summary: 'List runs, newest first',
  access: { role: 'runner', bucket: 'read' },
  query: ListRunsQuery,
  headers: ['If-None-Match'],
  responses: {
    200: { description: 'A page of runs', schema: RunList, headers: CONDITIONAL_HEADERS },
    304: NOT_MODIFIED,
  },
  errors: [],
  handler: async ({ deps, caller, query }) => answer(200, (await listRuns(deps, caller, query())) as RunPage),
});

export const cancelRunRoute = defineRoute({
  operationId: 'cancelRun',
  method: 'POST',
  path: '/v1/runs/{runId}/cancel',
  tag: 'Runs',
  summary: 'Cancel a queued or running run',
  description: 'Cancelling a cancelled run returns it unchanged; a finished run is 409.',
  access: { role: 'runner', bucket: 'read' },
  params: RunIdParams,
  responses: { 200: { description: 'The cancelled run', schema: RunDetail } },
  errors: ['run_not_found', 'run_not_cancellable'],
  async handler({ deps, caller, params }) {
    if (!RUN_ID.test(params.runId)) throw new ApiError('run_not_found');
    return answer(200, detailOf(await cancelRun(deps, caller, params.runId)));
  },
});

export const RUN_ROUTES = [createRunRoute, listRunsRoute, getRunRoute, cancelRunRoute];
