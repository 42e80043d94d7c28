import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import type { KitVersionRecord } from './records.ts';

/**
 * The Kit version a run request names: `kit_version_id` (any version, drafts included) wins over
 * `kit_code` (the latest published version).
 */
export async function resolveKitVersion(
  store: Store,
  workspaceId: string,
  ref: { kitCode?: string | undefined; kitVersionId?: string | undefined },
): Promise<KitVersionRecord> {
  if (ref.kitVersionId) {
    const version = await store.kitVersionGet(workspaceId, ref.kitVersionId);
    if (!version)
      throw new ApiError('kit_not_found', {
        message: `No Kit version ${ref.kitVersionId} in this workspace.`,
      });
    return version;
  }
  const code = ref.kitCode ?? '';
  const kit = await store.kitGetByCode(workspaceId, code);
  if (!kit) throw kitNotFound(code);
  const version = await store.kitVersionGetLatestPublished(kit.id);
  if (!version) throw kitNotPublished(code);
  return version;
}

/**
 * The same choice as resolveKitVersion, when only the version's id and Kit code are needed (a new
 * run): by code it is one small lookup instead of reading and parsing the Kit's Bricks.
 */
export async function resolveKitVersionId(
  store: Store,
  workspaceId: string,
  ref: { kitCode?: string | undefined; kitVersionId?: string | undefined },
): Promise<{ id: string; kitCode: string }> {
  if (ref.kitVersionId) return resolveKitVersion(store, workspaceId, ref);
  const code = ref.kitCode ?? '';
  const found = await store.kitGetPublishedVersionId(workspaceId, code);
  if (!found) throw kitNotFound(code);
  if (found.versionId === null) throw kitNotPublished(code);
  return { id: found.versionId, kitCode: code };
}

const kitNotFound = (code: string) =>
  new ApiError('kit_not_found', { message: `No Kit with code ${code} in this workspace.` });

const kitNotPublished = (code: string) =>
  new ApiError('kit_not_published', {
    message: `Kit ${code} has no published version yet. Publish a version, or name a draft by kit_version_id.`,
  });
