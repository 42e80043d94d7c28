import type { FastifyInstance } from 'fastify';
import { testRun } from '../../kits/test-run.ts';
import type { RunsDeps } from '../../runs/deps.ts';
import { parseCreateRunBody, parseIdempotencyKey } from '../../runs/request-schemas.ts';
import { sentHeader } from '../repeated-headers.ts';

/** POST /v1/test (SPEC §6.4): a run request checked and answered with placeholder output, nothing stored. */
export function registerTestRunRoutes(app: FastifyInstance, deps: RunsDeps): void {
  app.post('/v1/test', { config: { role: 'runner', bucket: 'create' } }, async (request) => {
    const body = parseCreateRunBody(request.body);
    // Checked in the same order as POST /v1/runs, so a dry run catches a bad key too; nothing is stored.
    parseIdempotencyKey(sentHeader(request, 'idempotency-key'));
    return testRun(deps, request.caller!.workspaceId, body);
  });
}
