import type { FastifyInstance } from 'fastify';
import { BRICK_KEY } from '../../kits/brick.ts';
import { brickDetail } from '../../kits/brick-views.ts';
import { createBrick, createBrickVersion } from '../../kits/create-brick.ts';
import {
  CreateBrickBody,
  CreateBrickVersionBody,
  GetBrickQuery,
  parseJsonBody,
} from '../../kits/kit-request-schemas.ts';
import { getBrick, listBricks } from '../../kits/list-bricks.ts';
import type { RunsDeps } from '../../runs/deps.ts';
import { invalidRequest } from '../../runs/request-schemas.ts';
import type { BrickVersionRecord } from '../../store/records.ts';
import { ApiError } from '../api-error.ts';

type KeyParams = { Params: { key: string } };

/** Brick management (SPEC §6.4): runner keys read, admin keys write. */
export function registerBrickRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const { store } = deps;

  async function detailOf(workspaceId: string, record: BrickVersionRecord) {
    return brickDetail(record, await store.listBrickVersions(workspaceId, record.key));
  }

  app.get('/v1/bricks', { config: { role: 'runner', bucket: 'read' } }, async (request) => {
    const data = await listBricks(store, request.caller!.workspaceId);
    return { object: 'list', data, has_more: false, next_cursor: null };
  });

  app.post(
    '/v1/bricks',
    { config: { role: 'admin', liveOnly: true, bucket: 'create' } },
    async (request, reply) => {
      const workspaceId = request.caller!.workspaceId;
      const created = await createBrick(deps, workspaceId, parseJsonBody(CreateBrickBody, request.body));
      reply.header('Location', `/v1/bricks/${created.key}`);
      return reply.status(201).send(await detailOf(workspaceId, created));
    },
  );

  app.get<KeyParams>('/v1/bricks/:key', { config: { role: 'runner', bucket: 'read' } }, async (request) => {
    const query = GetBrickQuery.safeParse(request.query);
    if (!query.success) throw invalidRequest(query.error);
    return getBrick(store, request.caller!.workspaceId, request.params.key, query.data.version);
  });

  app.post<KeyParams>(
    '/v1/bricks/:key/versions',
    { config: { role: 'admin', liveOnly: true, bucket: 'create' } },
    async (request, reply) => {
      const workspaceId = request.caller!.workspaceId;
      const { key } = request.params;
      if (!BRICK_KEY.test(key))
        throw new ApiError('brick_not_found', { message: `No Brick "${key}" in this workspace.` });
      const body = parseJsonBody(CreateBrickVersionBody, request.body);
      const created = await createBrickVersion(deps, workspaceId, key, body);
      reply.header('Location', `/v1/bricks/${key}`);
      return reply.status(201).send(await detailOf(workspaceId, created));
    },
  );
}
