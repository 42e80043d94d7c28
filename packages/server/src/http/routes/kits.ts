import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { parseJsonBody } from '../../errors/invalid-request.ts';
import { createKit } from '../../kits/create-kit.ts';
import { createKitVersion } from '../../kits/create-kit-version.ts';
import { CreateKitBody, CreateKitVersionBody, KitSchemaQuery } from '../../kits/kit-request-schemas.ts';
import { kitDetail, kitSchemaView, kitVersionView } from '../../kits/kit-views.ts';
import { getKit, listKits } from '../../kits/list-kits.ts';
import { publishKitVersion } from '../../kits/publish-kit-version.ts';
import { resolveKitVersion } from '../../kits/resolve-kit-version.ts';
import { checkedQuery } from '../register-routes.ts';
import { Kit, KitList, KitSchema, KitVersion } from '../response-schemas.ts';
import { answer, defineRoute } from '../route.ts';

/** Kit management and the Kit output schema (SPEC §6.4): runner keys read, live admin keys write. */

export const KitCodeParams = z.object({ kit_code: z.string().describe('The 8-character Kit code') });
const KitVersionParams = KitCodeParams.extend({ kit_version_id: z.uuid() });
const read = { role: 'runner', bucket: 'read' } as const;
const write = { role: 'admin', liveOnly: true, bucket: 'create' } as const;

export const listKitsRoute = defineRoute({
  operationId: 'listKits',
  method: 'GET',
  path: '/v1/kits',
  tag: 'Kits',
  summary: 'List Kits, newest first',
  access: read,
  responses: { 200: { description: 'Every Kit of the workspace', schema: KitList } },
  errors: [],
  handler: async ({ deps, caller }) =>
    answer(200, {
      object: 'list',
      data: await listKits(deps.store, caller.workspaceId),
      has_more: false,
      next_cursor: null,
    }),
});

export const createKitRoute = defineRoute({
  operationId: 'createKit',
  method: 'POST',
  path: '/v1/kits',
  tag: 'Kits',
  summary: 'Create a Kit; its version 1 is a draft. Live admin keys only',
  access: write,
  body: {
    schema: CreateKitBody,
    parse: (raw) => parseJsonBody(CreateKitBody, raw),
    examples: {
      discovery: {
        summary: 'A Kit of two Bricks, latest versions pinned',
        value: {
          name: 'Discovery call',
          description: 'What a first call should find out',
          bricks: [{ key: 'talk_ratio' }, { key: 'next_steps_agreed' }],
        },
      },
    },
  },
  responses: {
    201: { description: 'The new Kit', schema: Kit, headers: { Location: true } },
  },
  errors: ['kit_already_exists'],
  async handler({ deps, caller, body }) {
    const { kit, version } = await createKit(deps, caller.workspaceId, body());
    return answer(201, kitDetail(kit, [version]), { Location: `/v1/kits/${kit.code}` });
  },
});

// A static segment: the router matches it before /v1/kits/:kit_code.
export const getKitSchemaRoute = defineRoute({
  operationId: 'getKitSchema',
  method: 'GET',
  path: '/v1/kits/schema',
  tag: 'Kits',
  summary: "A Kit version's Bricks and the JSON Schema of its output.bricks",
  access: read,
  query: KitSchemaQuery,
  parseQuery(raw) {
    const given = (raw ?? {}) as Record<string, unknown>;
    if (given['kit_code'] === undefined && given['kit_version_id'] === undefined) {
      throw new ApiError('kit_code_or_kit_version_id_required');
    }
    return checkedQuery(KitSchemaQuery, given);
  },
  responses: { 200: { description: 'The output schema', schema: KitSchema } },
  errors: ['kit_code_or_kit_version_id_required', 'kit_not_found', 'kit_not_published'],
  async handler({ deps, caller, query }) {
    const { kit_code, kit_version_id } = query();
    const version = await resolveKitVersion(deps.store, caller.workspaceId, {
      kitCode: kit_code?.toUpperCase(),
      kitVersionId: kit_version_id,
    });
    return answer(200, kitSchemaView(version));
  },
});

export const getKitRoute = defineRoute({
  operationId: 'getKit',
  method: 'GET',
  path: '/v1/kits/{kit_code}',
  tag: 'Kits',
  summary: 'Get a Kit with every version',
  access: read,
  params: KitCodeParams,
  responses: { 200: { description: 'The Kit', schema: Kit } },
  errors: ['kit_not_found'],
  handler: async ({ deps, caller, params }) =>
    answer(200, await getKit(deps.store, caller.workspaceId, params.kit_code)),
});

export const createKitVersionRoute = defineRoute({
  operationId: 'createKitVersion',
  method: 'POST',
  path: '/v1/kits/{kit_code}/versions',
  tag: 'Kits',
  summary: 'Create a new draft version of a Kit; live admin keys only',
  description:
    'Fields left out copy the latest version. `bricks` entries without a version pin the ' +
    "Brick's latest version. Publish the draft to make kit_code run it.",
  access: write,
  params: KitCodeParams,
  body: {
    schema: CreateKitVersionBody,
    optional: true,
    // A body-less POST is an empty body: a new draft copying the latest version.
    parse: (raw) => parseJsonBody(CreateKitVersionBody, raw ?? {}),
    examples: {
      rename: { summary: 'Same Bricks, a new name', value: { name: 'Discovery call (v2)' } },
    },
  },
  responses: {
    201: { description: 'The new draft', schema: KitVersion, headers: { Location: true } },
  },
  errors: ['kit_not_found'],
  async handler({ deps, caller, params, body }) {
    const code = params.kit_code.toUpperCase();
    const version = await createKitVersion(deps, caller.workspaceId, code, body());
    return answer(201, kitVersionView(version), { Location: `/v1/kits/${version.kitCode}` });
  },
});

export const publishKitVersionRoute = defineRoute({
  operationId: 'publishKitVersion',
  method: 'POST',
  path: '/v1/kits/{kit_code}/versions/{kit_version_id}/publish',
  tag: 'Kits',
  summary: 'Publish a draft version; live admin keys only',
  description:
    'kit_code runs the published version with the highest version number. Publishing a published ' +
    'version returns it unchanged.',
  access: write,
  params: KitVersionParams,
  responses: { 200: { description: 'The published version', schema: KitVersion } },
  errors: ['kit_not_found'],
  async handler({ deps, caller, params }) {
    const version = await publishKitVersion(
      deps,
      caller.workspaceId,
      params.kit_code.toUpperCase(),
      params.kit_version_id,
    );
    return answer(200, kitVersionView(version));
  },
});

export const KIT_ROUTES = [
  listKitsRoute,
  createKitRoute,
  getKitSchemaRoute,
  getKitRoute,
  createKitVersionRoute,
  publishKitVersionRoute,
];
