import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../store/store.ts';
import type { BrickDefinition } from './brick.ts';
import { checkBrickLimits, type KitLimits } from './kit-limits.ts';
import type { CreateBrickBody, CreateBrickVersionBody } from './kit-request-schemas.ts';
import type { BrickVersionRecord } from './records.ts';

interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  config: KitLimits;
}

/** How often a new version number is tried again when another writer took it first. */
const MAX_VERSION_ATTEMPTS = 10;

function record(deps: Deps, workspaceId: string, definition: BrickDefinition): BrickVersionRecord {
  return {
    id: `brv_${deps.ids.ulid()}`,
    workspaceId,
    key: definition.key,
    version: definition.version,
    definition,
    createdAt: deps.clock.now(),
  };
}

/** POST /v1/bricks: version 1 of a new Brick; 409 when the key is taken in the workspace. */
export async function createBrick(
  deps: Deps,
  workspaceId: string,
  body: CreateBrickBody,
): Promise<BrickVersionRecord> {
  checkBrickLimits(deps.config, body);
  const created = record(deps, workspaceId, { ...body, version: 1 });
  if (!(await deps.store.brickVersionInsertIfNew(created))) {
    throw new ApiError('brick_already_exists', {
      message: `A Brick "${body.key}" already exists; add a version with POST /v1/bricks/${body.key}/versions.`,
    });
  }
  return created;
}

/**
 * POST /v1/bricks/{key}/versions: the next version of an existing Brick. Earlier versions, and the
 * Kit versions pinning them, are left as they are.
 */
export async function createBrickVersion(
  deps: Deps,
  workspaceId: string,
  key: string,
  body: CreateBrickVersionBody,
): Promise<BrickVersionRecord> {
  checkBrickLimits(deps.config, body);
  if (body.key !== undefined && body.key !== key) {
    throw new ApiError('invalid_request', {
      detail: { fields: [{ field: 'key', message: `must be "${key}" (the Brick in the path) or left out` }] },
    });
  }
  for (let attempt = 0; attempt < MAX_VERSION_ATTEMPTS; attempt++) {
    const latest = await deps.store.brickVersionGetLatest(workspaceId, key);
    if (!latest) throw new ApiError('brick_not_found', { message: `No Brick "${key}" in this workspace.` });
    const created = record(deps, workspaceId, { ...body, key, version: latest.version + 1 });
    if (await deps.store.brickVersionInsertIfNew(created)) return created;
  }
  throw new Error(`Brick "${key}": no free version number after ${MAX_VERSION_ATTEMPTS} attempts`);
}
