import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { parseJsonBody } from '../../errors/invalid-request.ts';
import { BRICK_KEY } from '../../kits/brick.ts';
import { brickDetail } from '../../kits/brick-views.ts';
import { createBrick, createBrickVersion } from '../../kits/create-brick.ts';
import { CreateBrickBody, CreateBrickVersionBody, GetBrickQuery } from '../../kits/kit-request-schemas.ts';
import { getBrick, listBricks } from '../../kits/list-bricks.ts';
import type { BrickVersionRecord } from '../../kits/records.ts';
import { BrickList, BrickWithVersions } from '../response-schemas.ts';
import { answer, defineRoute, type RouteDeps } from '../route.ts';

/** Brick management (SPEC §6.4): runner keys read, live admin keys write. */

const KeyParams = z.object({ key: z.string().describe('The Brick key, e.g. "talk_ratio"') });
const read = { role: 'runner', bucket: 'read' } as const;
const write = { role: 'admin', liveOnly: true, bucket: 'create' } as const;

async function detailOf(deps: RouteDeps, workspaceId: string, record: BrickVersionRecord) {
  return brickDetail(record, await deps.store.brickVersionList(workspaceId, record.key));
}

export const listBricksRoute = defineRoute({
  operationId: 'listBricks',
  method: 'GET',
  path: '/v1/bricks',
  tag: 'Bricks',
  summary: 'List Bricks (the latest version of each, by key)',
  access: read,
  responses: { 200: { description: 'Every Brick of the workspace', schema: BrickList } },
  errors: [],
  handler: async ({ deps, caller }) =>
    answer(200, {
      object: 'list',
      data: await listBricks(deps.store, caller.workspaceId),
      has_more: false,
      next_cursor: null,
    }),
});

export const createBrickRoute = defineRoute({
  operationId: 'createBrick',
  method: 'POST',
  path: '/v1/bricks',
  tag: 'Bricks',
  summary: 'Create a Brick (version 1); live admin keys only',
  access: write,
  body: {
    schema: CreateBrickBody,
    parse: (raw) => parseJsonBody(CreateBrickBody, raw),
    examples: {
      llm: {
        summary: 'A yes/no question a model answers with quotes',
        value: {
          key: 'next_steps_agreed',
          name: 'Next steps agreed',
          description: 'Did both sides agree on a concrete next step with a date?',
          engine: 'llm',
          output: { type: 'boolean' },
        },
      },
    },
  },
  responses: {
    201: { description: 'The new Brick', schema: BrickWithVersions, headers: { Location: true } },
  },
  errors: ['brick_already_exists'],
  async handler({ deps, caller, body }) {
    const created = await createBrick(deps, caller.workspaceId, body());
    return answer(201, await detailOf(deps, caller.workspaceId, created), {
      Location: `/v1/bricks/${created.key}`,
    });
  },
});

export const getBrickRoute = defineRoute({
  operationId: 'getBrick',
  method: 'GET',
  path: '/v1/bricks/{key}',
  tag: 'Bricks',
  summary: 'Get a Brick: its latest version (or ?version=N) and a summary of every version',
  access: read,
  params: KeyParams,
  query: GetBrickQuery,
  responses: { 200: { description: 'The Brick', schema: BrickWithVersions } },
  errors: ['brick_not_found'],
  handler: async ({ deps, caller, params, query }) =>
    answer(200, await getBrick(deps.store, caller.workspaceId, params.key, query().version)),
});

export const createBrickVersionRoute = defineRoute({
  operationId: 'createBrickVersion',
  method: 'POST',
  path: '/v1/bricks/{key}/versions',
  tag: 'Bricks',
  summary: 'Create the next version of a Brick; live admin keys only',
  description:
    'Send the whole new definition (`key` may be left out). Earlier versions never change, and ' +
    'Kit versions that pin them keep running them.',
  access: write,
  params: KeyParams,
  body: { schema: CreateBrickVersionBody, parse: (raw) => parseJsonBody(CreateBrickVersionBody, raw) },
  responses: {
    201: { description: 'The new version', schema: BrickWithVersions, headers: { Location: true } },
  },
  errors: ['brick_not_found'],
  async handler({ deps, caller, params, body }) {
    const { key } = params;
    if (!BRICK_KEY.test(key))
      throw new ApiError('brick_not_found', { message: `No Brick "${key}" in this workspace.` });
    const created = await createBrickVersion(deps, caller.workspaceId, key, body());
    return answer(201, await detailOf(deps, caller.workspaceId, created), { Location: `/v1/bricks/${key}` });
  },
});

export const BRICK_ROUTES = [listBricksRoute, createBrickRoute, getBrickRoute, createBrickVersionRoute];
