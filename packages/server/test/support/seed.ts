import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { createIdGenerator } from '../../src/ids.ts';
import { bootstrapIfEmpty } from '../../src/keys/bootstrap.ts';
import { createApiKey } from '../../src/keys/create-api-key.ts';
import { applyKitFile } from '../../src/kits/apply-kit-file.ts';
import { PUBLIC_ENGINES } from '../../src/kits/brick.ts';
import { readKitFile } from '../../src/kits/kit-file.ts';
import { KIT_LIMIT_CEILINGS } from '../../src/kits/kit-limit-ceilings.ts';
import { openStore } from '../../src/server.ts';
import type { Store } from '../../src/store/store.ts';
import { createWorkspace } from '../../src/workspaces/create-workspace.ts';
import { testConfig } from './test-config.ts';
import { testEngines } from './test-engines.ts';

export const REPO_KITS_DIR = join(import.meta.dirname, '../../../../kits');
const TEST_KITS_DIR = join(import.meta.dirname, 'kits');

export interface Seeded {
  liveKey: string;
  testKey: string;
  runnerKey: string;
  /** An admin key of a second workspace, to prove isolation. */
  otherWorkspaceKey: string;
  draftKitVersionId: string;
  starterKitVersionId: string;
}

/** A new data directory holding a seeded store, for tests that start servers as child processes. */
export async function seededDataDir(prefix: string): Promise<{ dataDir: string } & Seeded> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const store = openStore(testConfig(dataDir));
  try {
    return { dataDir, ...(await seedStore(store)) };
  } finally {
    await store.close();
  }
}

/** What `semarize up` does on first start, plus the test Kits and a second workspace. */
export async function seedStore(store: Store): Promise<Seeded> {
  const deps = {
    store,
    clock: systemClock,
    ids: createIdGenerator(systemClock),
    engines: new Set<string>([...PUBLIC_ENGINES, ...Object.keys(testEngines)]),
    // The fixtures are written at the ceilings, whatever limits the server under test is given.
    config: KIT_LIMIT_CEILINGS,
  };
  const boot = await bootstrapIfEmpty(deps, REPO_KITS_DIR);
  if (!boot) throw new Error('seedStore expects an empty store');
  const workspace = (await store.workspaceGetByName('default'))!;
  for (const name of [
    'test-kits.yaml',
    'failing-kit.yaml',
    'crashing-kit.yaml',
    'llm-kits.yaml',
    'llm-override-kit.yaml',
  ]) {
    const path = join(TEST_KITS_DIR, name);
    await applyKitFile(deps, workspace.id, await readKitFile(path), path, { publish: true });
  }
  const draftPath = join(TEST_KITS_DIR, 'draft-kit.yaml');
  const draft = (await applyKitFile(deps, workspace.id, await readKitFile(draftPath), draftPath, {
    publish: false,
  }))!;
  const runner = await createApiKey(deps, { workspaceId: workspace.id, mode: 'live', role: 'runner' });
  const { workspace: other } = await createWorkspace(deps, 'other', REPO_KITS_DIR);
  const otherKey = await createApiKey(deps, { workspaceId: other.id, mode: 'live', role: 'admin' });
  const starter = boot.kits.find((k) => k.code === 'A1B2C3D4')!;
  return {
    liveKey: boot.liveKey,
    testKey: boot.testKey,
    runnerKey: runner.secret,
    otherWorkspaceKey: otherKey.secret,
    draftKitVersionId: draft.versionId,
    starterKitVersionId: starter.versionId,
  };
}
