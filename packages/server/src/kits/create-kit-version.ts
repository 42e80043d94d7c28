import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../store/store.ts';
import { checkKitLimits, type KitLimits } from './kit-limits.ts';
import type { CreateKitVersionBody } from './kit-request-schemas.ts';
import { pinBricks } from './pin-bricks.ts';
import type { KitVersionRecord } from './records.ts';

interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  config: KitLimits;
}

/** How often a new version number is tried again when another writer took it first. */
const MAX_VERSION_ATTEMPTS = 10;

/**
 * POST /v1/kits/{kit_code}/versions: a new draft. Fields left out copy the latest version
 * (its Bricks stay pinned to the same Brick versions); `bricks` given are pinned afresh.
 */
export async function createKitVersion(
  deps: Deps,
  workspaceId: string,
  kitCode: string,
  body: CreateKitVersionBody,
): Promise<KitVersionRecord> {
  // Only `bricks` given is checked: Bricks copied from the latest version stay as they were pinned.
  checkKitLimits(deps.config, body);
  const { store, clock, ids } = deps;
  const kit = await store.kitGetByCode(workspaceId, kitCode);
  if (!kit)
    throw new ApiError('kit_not_found', { message: `No Kit with code ${kitCode} in this workspace.` });
  const bricks = body.bricks ? await pinBricks(store, workspaceId, body.bricks) : null;
  for (let attempt = 0; attempt < MAX_VERSION_ATTEMPTS; attempt++) {
    const latest = await store.kitVersionGetLatest(kit.id);
    if (!latest) throw new Error(`Kit ${kit.code} has no version`);
    const version: KitVersionRecord = {
      id: ids.uuid(),
      kitId: kit.id,
      kitCode: kit.code,
      workspaceId,
      version: latest.version + 1,
      status: 'draft',
      name: body.name ?? latest.name,
      description: body.description ?? latest.description,
      model: body.model ?? latest.model,
      bricks: bricks ?? latest.bricks,
      createdAt: clock.now(),
      publishedAt: null,
    };
    if (await store.kitVersionInsertIfNew(version)) return version;
  }
  throw new Error(`Kit ${kit.code}: no free version number after ${MAX_VERSION_ATTEMPTS} attempts`);
}
