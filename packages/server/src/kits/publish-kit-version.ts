import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import type { KitVersionRecord } from './records.ts';

/**
 * POST /v1/kits/{kit_code}/versions/{id}/publish: a draft becomes published, and `kit_code` runs
 * it if it is the highest published version. Publishing a published version changes nothing.
 */
export async function publishKitVersion(
  deps: { store: Store; clock: Clock },
  workspaceId: string,
  kitCode: string,
  versionId: string,
): Promise<KitVersionRecord> {
  const { store, clock } = deps;
  const kit = await store.kitGetByCode(workspaceId, kitCode);
  if (!kit)
    throw new ApiError('kit_not_found', { message: `No Kit with code ${kitCode} in this workspace.` });
  const version = await store.kitVersionGet(workspaceId, versionId);
  if (!version || version.kitId !== kit.id) {
    throw new ApiError('kit_not_found', { message: `Kit ${kit.code} has no version ${versionId}.` });
  }
  if (version.status === 'published') return version;
  await store.kitVersionPublish(version.id, clock.now());
  // Read it back: a concurrent publish may have won, and its time is the one that stands.
  const published = await store.kitVersionGet(workspaceId, versionId);
  if (!published) throw new Error(`Kit version ${versionId} vanished while being published`);
  return published;
}
