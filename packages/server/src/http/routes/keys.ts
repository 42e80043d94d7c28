import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors/api-error.ts';
import { invalidRequest } from '../../errors/invalid-request.ts';
import type { Caller } from '../../keys/caller.ts';
import { createApiKey } from '../../keys/create-api-key.ts';
import { CreateKeyBody } from '../../keys/key-request-schemas.ts';
import { keyView } from '../../keys/key-views.ts';
import { revokeApiKey } from '../../keys/revoke-api-key.ts';
import type { RunsDeps } from '../../runs/deps.ts';

type Params = { Params: { id: string } };

/** API key management (SPEC §12): admin live keys only, for the whole workspace. */
export function registerKeyRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const admin = { config: { role: 'admin', bucket: 'read' } } as const;
  const adminWrite = { config: { role: 'admin', bucket: 'create' } } as const;

  /** A test key sees the sandbox world only; keys are of the whole workspace. */
  const liveAdmin = (request: FastifyRequest): Caller => {
    const caller = request.caller!;
    if (caller.mode === 'test') {
      throw new ApiError('forbidden', {
        message: 'Test keys cannot manage API keys; use a live admin key.',
        detail: { reason: 'test_mode' },
      });
    }
    return caller;
  };

  app.get('/v1/keys', admin, async (request) => {
    const caller = liveAdmin(request);
    return {
      object: 'list',
      data: (await deps.store.listApiKeys(caller.workspaceId)).map(keyView),
      has_more: false,
      next_cursor: null,
    };
  });

  app.post('/v1/keys', adminWrite, async (request, reply) => {
    const caller = liveAdmin(request);
    const parsed = CreateKeyBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const body = parsed.data;
    const { secret, record } = await createApiKey(deps, {
      workspaceId: caller.workspaceId,
      mode: body.mode,
      role: body.role,
      name: body.name,
      expiresAt: body.expires_in === null ? null : deps.clock.now() + body.expires_in * 1_000,
    });
    // The secret is in this response only: the store keeps its hash.
    return reply.status(201).send({ ...keyView(record), secret });
  });

  app.post<Params>('/v1/keys/:id/revoke', adminWrite, async (request) =>
    keyView(await revokeApiKey(deps, liveAdmin(request), request.params.id)),
  );
}
