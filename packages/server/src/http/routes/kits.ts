import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors/api-error.ts';
import { invalidRequest, parseJsonBody } from '../../errors/invalid-request.ts';
import { createKit } from '../../kits/create-kit.ts';
import { createKitVersion } from '../../kits/create-kit-version.ts';
import { CreateKitBody, CreateKitVersionBody, KitSchemaQuery } from '../../kits/kit-request-schemas.ts';
import { kitDetail, kitSchemaView, kitVersionView } from '../../kits/kit-views.ts';
import { getKit, listKits } from '../../kits/list-kits.ts';
import { publishKitVersion } from '../../kits/publish-kit-version.ts';
import { resolveKitVersion } from '../../kits/resolve-kit-version.ts';
import type { RunsDeps } from '../../runs/deps.ts';

type CodeParams = { Params: { kitCode: string } };

/** Kit management and the Kit output schema (SPEC §6.4): runner keys read, admin keys write. */
export function registerKitRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const { store } = deps;

  app.get('/v1/kits', { config: { role: 'runner', bucket: 'read' } }, async (request) => ({
    object: 'list',
    data: await listKits(store, request.caller!.workspaceId),
    has_more: false,
    next_cursor: null,
  }));

  app.post(
    '/v1/kits',
    { config: { role: 'admin', liveOnly: true, bucket: 'create' } },
    async (request, reply) => {
      const body = parseJsonBody(CreateKitBody, request.body);
      const { kit, version } = await createKit(deps, request.caller!.workspaceId, body);
      reply.header('Location', `/v1/kits/${kit.code}`);
      return reply.status(201).send(kitDetail(kit, [version]));
    },
  );

  // A static segment: the router matches it before /v1/kits/:kitCode.
  app.get('/v1/kits/schema', { config: { role: 'runner', bucket: 'read' } }, async (request) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    if (raw['kit_code'] === undefined && raw['kit_version_id'] === undefined) {
      throw new ApiError('kit_code_or_kit_version_id_required');
    }
    const query = KitSchemaQuery.safeParse(raw);
    if (!query.success) throw invalidRequest(query.error);
    const version = await resolveKitVersion(store, request.caller!.workspaceId, {
      kitCode: query.data.kit_code?.toUpperCase(),
      kitVersionId: query.data.kit_version_id,
    });
    return kitSchemaView(version);
  });

  app.get<CodeParams>('/v1/kits/:kitCode', { config: { role: 'runner', bucket: 'read' } }, async (request) =>
    getKit(store, request.caller!.workspaceId, request.params.kitCode),
  );

  app.post<CodeParams>(
    '/v1/kits/:kitCode/versions',
    { config: { role: 'admin', liveOnly: true, bucket: 'create' } },
    async (request, reply) => {
      const code = request.params.kitCode.toUpperCase();
      // A body-less POST is an empty body: a new draft copying the latest version.
      const body = parseJsonBody(CreateKitVersionBody, request.body ?? {});
      const version = await createKitVersion(deps, request.caller!.workspaceId, code, body);
      reply.header('Location', `/v1/kits/${version.kitCode}`);
      return reply.status(201).send(kitVersionView(version));
    },
  );

  app.post<{ Params: { kitCode: string; versionId: string } }>(
    '/v1/kits/:kitCode/versions/:versionId/publish',
    { config: { role: 'admin', liveOnly: true, bucket: 'create' } },
    async (request) => {
      const { kitCode, versionId } = request.params;
      const version = await publishKitVersion(
        deps,
        request.caller!.workspaceId,
        kitCode.toUpperCase(),
        versionId,
      );
      return kitVersionView(version);
    },
  );
}
