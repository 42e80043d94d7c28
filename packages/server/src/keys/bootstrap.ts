import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import { type AppliedKit, applyKitFile } from '../kits/apply-kit-file.ts';
import { readKitFile } from '../kits/kit-file.ts';
import type { Store } from '../store/store.ts';
import { createApiKey, ensureWorkspace } from './create-api-key.ts';

export interface BootstrapResult {
  workspaceName: string;
  liveKey: string;
  testKey: string;
  kits: AppliedKit[];
}

/** Kit files of a directory, in name order. */
export async function kitFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * First start on an empty store (SPEC §8): workspace `default`, an admin live key and a test key,
 * and the starter Kits, published. Returns null when the store already has a workspace.
 */
export async function bootstrapIfEmpty(
  deps: { store: Store; clock: Clock; ids: IdGenerator; engines: ReadonlySet<string> },
  kitsDir: string,
): Promise<BootstrapResult | null> {
  if ((await deps.store.countWorkspaces()) > 0) return null;
  const workspace = (await ensureWorkspace(deps, 'default', true))!;
  const kits: AppliedKit[] = [];
  for (const path of await kitFilesIn(kitsDir)) {
    const applied = await applyKitFile(deps, workspace.id, await readKitFile(path), path, { publish: true });
    if (applied) kits.push(applied);
  }
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
