import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import { BRICK_KEY } from './brick.ts';
import { brickDetail, brickView } from './brick-views.ts';

/** GET /v1/bricks: the latest version of every Brick of the workspace. */
export async function listBricks(store: Store, workspaceId: string) {
  return (await store.brickVersionListLatest(workspaceId)).map(brickView);
}

/**
 * GET /v1/bricks/{key}: a Brick's latest version (or the one asked for) with every version's
 * summary, or `brick_not_found`.
 */
export async function getBrick(store: Store, workspaceId: string, key: string, version?: number) {
  const versions = BRICK_KEY.test(key) ? await store.brickVersionList(workspaceId, key) : [];
  const latest = versions[0];
  if (!latest) throw new ApiError('brick_not_found', { message: `No Brick "${key}" in this workspace.` });
  if (version === undefined) return brickDetail(latest, versions);
  const chosen = versions.find((v) => v.version === version);
  if (!chosen)
    throw new ApiError('brick_not_found', { message: `Brick "${key}" has no version ${version}.` });
  return brickDetail(chosen, versions);
}
