import type { AppliedKit } from '../kits/apply-kit-file.ts';
import {
  applyStarterKits,
  findOrCreateWorkspace,
  type WorkspaceDeps,
} from '../workspaces/create-workspace.ts';
import { createApiKey } from './create-api-key.ts';

export interface BootstrapResult {
  workspaceName: string;
  liveKey: string;
  testKey: string;
  kits: AppliedKit[];
}

/**
 * First start (SPEC §8): workspace `default`, an admin live key and a test key, and the starter
 * Kits, published. Returns null when the store already has a key.
 *
 * A first start is a store without any API key, not one without a workspace: a first start that
 * stopped part-way (a crash after the workspace, before its keys) would otherwise leave a store
 * nobody can sign in to, and every later start would skip it. Each step is safe to repeat, so the
 * next start finishes it: the workspace is found or created, the starter Kits are applied
 * insert-if-new, and the keys are created.
 */
export async function bootstrapIfEmpty(
  deps: WorkspaceDeps,
  kitsDir: string,
): Promise<BootstrapResult | null> {
  if ((await deps.store.apiKeyList(null)).length > 0) return null;
  // Left by an earlier start (or a racing one), `default` may lack some starter Kits: apply them.
  const found = await findOrCreateWorkspace(deps, 'default', kitsDir);
  const { workspace } = found;
  const kits = found.created ? found.kits : await applyStarterKits(deps, workspace.id, kitsDir);
  const live = await createApiKey(deps, {
    workspaceId: workspace.id,
    mode: 'live',
    role: 'admin',
    name: 'bootstrap',
  });
  const test = await createApiKey(deps, {
    workspaceId: workspace.id,
    mode: 'test',
    role: 'admin',
    name: 'bootstrap',
  });
  return { workspaceName: workspace.name, liveKey: live.secret, testKey: test.secret, kits };
}
