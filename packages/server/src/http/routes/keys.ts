import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { invalidRequest } from '../../errors/invalid-request.ts';
import type { Caller } from '../../keys/caller.ts';
import { createApiKey } from '../../keys/create-api-key.ts';
import { CreateKeyBody } from '../../keys/key-request-schemas.ts';
import { keyView } from '../../keys/key-views.ts';
import { revokeApiKey } from '../../keys/revoke-api-key.ts';
import { ApiKey, ApiKeyList, ApiKeyWithSecret } from '../response-schemas.ts';
import { answer, defineRoute } from '../route.ts';

/** API key management (SPEC §12): admin live keys only, for the whole workspace. */

const read = { role: 'admin', bucket: 'read' } as const;
const write = { role: 'admin', bucket: 'create' } as const;

/** A test key sees the sandbox world only; keys are of the whole workspace. */
function liveAdmin(caller: Caller): Caller {
  if (caller.mode === 'test') {
    throw new ApiError('forbidden', {
      message: 'Test keys cannot manage API keys; use a live admin key.',
      detail: { reason: 'test_mode' },
    });
  }
  return caller;
}

export const listKeysRoute = defineRoute({
  operationId: 'listKeys',
  method: 'GET',
  path: '/v1/keys',
  tag: 'API keys',
  summary: "List the workspace's API keys (live and test); admin live keys only",
  access: read,
  responses: { 200: { description: 'Every key, oldest first, without secrets', schema: ApiKeyList } },
  errors: ['forbidden'],
  async handler({ deps, caller }) {
    const { workspaceId } = liveAdmin(caller);
    return answer(200, {
      object: 'list',
      data: (await deps.store.apiKeyList(workspaceId)).map(keyView),
      has_more: false,
      next_cursor: null,
    });
  },
});

export const createKeyRoute = defineRoute({
  operationId: 'createKey',
  method: 'POST',
  path: '/v1/keys',
  tag: 'API keys',
  summary: 'Create an API key; admin live keys only',
  description: 'The secret is in this response only; the server keeps its hash.',
  access: write,
  body: {
    schema: CreateKeyBody,
    parse(raw) {
      const parsed = CreateKeyBody.safeParse(raw ?? {});
      if (!parsed.success) throw invalidRequest(parsed.error);
      return parsed.data;
    },
    examples: {
      runner: {
        summary: 'A runner key for a service, valid 90 days',
        value: { role: 'runner', name: 'crm-sync', expires_in: 7_776_000 },
      },
    },
  },
  responses: { 201: { description: 'The key, with its secret', schema: ApiKeyWithSecret } },
  errors: ['forbidden'],
  async handler({ deps, caller, body: readBody }) {
    const { workspaceId } = liveAdmin(caller);
    const body = readBody();
    const { secret, record } = await createApiKey(deps, {
      workspaceId,
      mode: body.mode,
      role: body.role,
      name: body.name,
      expiresInMs: body.expires_in === null ? null : body.expires_in * 1_000,
    });
    // The secret is in this response only: the store keeps its hash.
    return answer(201, { ...keyView(record), secret });
  },
});

export const revokeKeyRoute = defineRoute({
  operationId: 'revokeKey',
  method: 'POST',
  path: '/v1/keys/{id}/revoke',
  tag: 'API keys',
  summary: 'Revoke an API key at once; admin live keys only',
  description:
    'Requests and console sessions with the key fail from now on. Revoking a revoked key ' +
    "returns it unchanged. The workspace's last live admin key cannot be revoked (409).",
  access: write,
  params: z.object({ id: z.string().describe('"key_…"') }),
  responses: { 200: { description: 'The revoked key', schema: ApiKey } },
  errors: ['forbidden', 'api_key_not_found', 'last_admin_key'],
  handler: async ({ deps, caller, params }) =>
    answer(200, keyView(await revokeApiKey(deps, liveAdmin(caller), params.id))),
});

export const KEY_ROUTES = [listKeysRoute, createKeyRoute, revokeKeyRoute];
