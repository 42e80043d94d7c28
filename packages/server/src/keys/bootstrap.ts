import type { AppliedKit } from '../kits/apply-kit-file.ts';
import { createWorkspace, type WorkspaceDeps } from '../workspaces/create-workspace.ts';
import { createApiKey } from './create-api-key.ts';

export interface BootstrapResult {
  workspaceName: string;
  liveKey: string;
  testKey: string;
  kits: AppliedKit[];
}

/**
 * First start on an empty store (SPEC §8): workspace `default`, an admin live key and a test key,
 * and the starter Kits, published. Returns null when the store already has a workspace.
 */
export async function bootstrapIfEmpty(
  deps: WorkspaceDeps,
  kitsDir: string,
): Promise<BootstrapResult | null> {
  if ((await deps.store.workspaceCount()) > 0) return null;
  const { workspace, kits } = await createWorkspace(deps, 'default', kitsDir);
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
