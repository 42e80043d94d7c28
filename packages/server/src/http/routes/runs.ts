import type { FastifyInstance, FastifyReply } from 'fastify';
import { cancelRun } from '../../runs/cancel-run.ts';
import { conversationView } from '../../runs/conversation-view.ts';
import { createRun } from '../../runs/create-run.ts';
import type { RunsDeps } from '../../runs/deps.ts';
import { getRun } from '../../runs/get-run.ts';
import { listRuns } from '../../runs/list-runs.ts';
import { createPollHint } from '../../runs/poll-hint.ts';
import {
  GetRunQuery,
  invalidRequest,
  ListRunsQuery,
  parseCreateRunBody,
  parseIdempotencyKey,
  parsePreferWait,
} from '../../runs/request-schemas.ts';
import { runDetailJson } from '../../runs/run-view.ts';
import { waitForRun } from '../../runs/wait-for-run.ts';
import { type RunRecord, TERMINAL_STATUSES } from '../../store/records.ts';
import { ApiError } from '../api-error.ts';
import { clientGone } from '../client-gone.ts';
import { sentHeader } from '../repeated-headers.ts';

const RUN_ID = /^run_[0-9A-Z]{26}$/;

function sendDetail(reply: FastifyReply, run: RunRecord, extra: object = {}) {
  return reply.type('application/json; charset=utf-8').send(runDetailJson(run, extra));
}

export function registerRunRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const pollHintSeconds = createPollHint(deps.store, deps.clock, deps.config.workerConcurrency);

  async function sendPollable(reply: FastifyReply, run: RunRecord, status: number, extra: object = {}) {
    if (!TERMINAL_STATUSES.has(run.status)) reply.header('Retry-After', String(await pollHintSeconds()));
    return sendDetail(reply.status(status), run, extra);
  }

  app.post('/v1/runs', { config: { role: 'runner', bucket: 'create' } }, async (request, reply) => {
    const body = parseCreateRunBody(request.body);
    const idempotencyKey = parseIdempotencyKey(sentHeader(request, 'idempotency-key'));
    const preferWait = parsePreferWait(request.headers.prefer);
    if (preferWait !== null) body.mode = 'sync';
    const { run, replayed } = await createRun(deps, pollHintSeconds, request.caller!, body, {
      idempotencyKey,
      requestId: request.id,
    });
    reply.header('Location', `/v1/runs/${run.id}`);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    if (body.mode === 'async') return sendPollable(reply, run, 202);

    const waitMs =
      preferWait === null ? deps.config.syncWaitMs : Math.min(preferWait * 1_000, deps.config.syncWaitMs);
    if (preferWait !== null) reply.header('Preference-Applied', `wait=${Math.round(waitMs / 1_000)}`);
    const started = performance.now();
    const latest =
      (await waitForRun(deps, run.workspaceId, run.id, waitMs, clientGone(request, reply))) ?? run;
    if (TERMINAL_STATUSES.has(latest.status)) return sendDetail(reply.status(200), latest);
    return sendPollable(reply, latest, 202, {
      sync_fallback: true,
      waited_ms: Math.round(performance.now() - started),
    });
  });

  app.get<{ Params: { runId: string } }>(
    '/v1/runs/:runId',
    { config: { role: 'runner', bucket: 'read' } },
    async (request, reply) => {
      const query = GetRunQuery.safeParse(request.query);
      if (!query.success) throw invalidRequest(query.error);
      let run = await getRun(deps, request.caller!, request.params.runId);
      const preferWait = parsePreferWait(request.headers.prefer);
      if (preferWait !== null) {
        reply.header('Preference-Applied', `wait=${preferWait}`);
        if (!TERMINAL_STATUSES.has(run.status)) {
          run =
            (await waitForRun(
              deps,
              run.workspaceId,
              run.id,
              preferWait * 1_000,
              clientGone(request, reply),
            )) ?? run;
        }
      }
      if (query.data.include === 'input') {
        const input = await deps.store.getRunInput(run.workspaceId, run.id);
        return sendPollable(reply, run, 200, { input: input === null ? null : JSON.parse(input) });
      }
      if (query.data.include !== 'conversation') return sendPollable(reply, run, 200);
      const prepared = await deps.store.getPreparedInput(run.workspaceId, run.id);
      return sendPollable(reply, run, 200, { conversation: conversationView(prepared) });
    },
  );

  app.get('/v1/runs', { config: { role: 'runner', bucket: 'read' } }, async (request) => {
    const query = ListRunsQuery.safeParse(request.query);
    if (!query.success) throw invalidRequest(query.error);
    return listRuns(deps, request.caller!, query.data);
  });

  app.post<{ Params: { runId: string } }>(
    '/v1/runs/:runId/cancel',
    { config: { role: 'runner', bucket: 'read' } },
    async (request, reply) => {
      if (!RUN_ID.test(request.params.runId)) throw new ApiError('run_not_found');
      const run = await cancelRun(deps, request.caller!, request.params.runId);
      return sendDetail(reply.status(200), run);
    },
  );
}
