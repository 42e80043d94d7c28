import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import { type IdGenerator, newKitCode } from '../ids.ts';
import type { Store } from '../store/store.ts';
import { checkKitLimits, type KitLimits } from './kit-limits.ts';
import type { CreateKitBody } from './kit-request-schemas.ts';
import { pinBricks } from './pin-bricks.ts';
import type { KitRecord, KitVersionRecord } from './records.ts';

interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  config: KitLimits;
}

/** Random codes collide only in a very full code space; give up long before that would matter. */
const MAX_CODE_ATTEMPTS = 20;

/**
 * POST /v1/kits: a new Kit whose version 1 is a draft pinning the given Bricks. The Kit and its
 * first version are written together, so a Kit never exists without a version.
 */
export async function createKit(
  deps: Deps,
  workspaceId: string,
  body: CreateKitBody,
): Promise<{ kit: KitRecord; version: KitVersionRecord }> {
  checkKitLimits(deps.config, body);
  const { store, clock, ids } = deps;
  const bricks = await pinBricks(store, workspaceId, body.bricks);
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    const now = clock.now();
    const kit: KitRecord = {
      id: `kit_${ids.ulid()}`,
      workspaceId,
      code: body.code ?? newKitCode(),
      name: body.name,
      createdAt: now,
    };
    const version: KitVersionRecord = {
      id: ids.uuid(),
      kitId: kit.id,
      kitCode: kit.code,
      workspaceId,
      version: 1,
      status: 'draft',
      name: body.name,
      description: body.description,
      model: body.model,
      bricks,
      createdAt: now,
      publishedAt: null,
    };
    if (await store.kitInsertWithFirstVersion(kit, version)) return { kit, version };
    // Codes are unique per workspace (SPEC §9.2), so a taken code is one of the caller's own Kits.
    if (body.code !== undefined) {
      throw new ApiError('kit_already_exists', {
        message: `This workspace already has a Kit with code ${body.code}; choose another or leave code out to get one.`,
      });
    }
  }
  throw new Error(`no free Kit code after ${MAX_CODE_ATTEMPTS} attempts`);
}
