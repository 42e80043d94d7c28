import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import { kitDetail, kitSummary } from './kit-views.ts';

/** GET /v1/kits: every Kit of the workspace with its latest and published versions. */
export async function listKits(store: Store, workspaceId: string) {
  const kits = await store.kitList(workspaceId);
  const summaries = await Promise.all(
    kits.map(async (kit) => {
      const [latest, published] = await Promise.all([
        store.kitVersionGetLatest(kit.id),
        store.kitVersionGetLatestPublished(kit.id),
      ]);
      return latest ? kitSummary(kit, latest, published) : null;
    }),
  );
  return summaries.filter((k) => k !== null);
}

/** GET /v1/kits/{kit_code}: one Kit with every version, or `kit_not_found`. */
export async function getKit(store: Store, workspaceId: string, kitCode: string) {
  const code = kitCode.toUpperCase();
  const kit = await store.kitGetByCode(workspaceId, code);
  if (!kit) throw new ApiError('kit_not_found', { message: `No Kit with code ${code} in this workspace.` });
  return kitDetail(kit, await store.kitVersionList(kit.id));
}
