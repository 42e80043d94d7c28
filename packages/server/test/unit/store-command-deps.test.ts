import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCommandDeps } from '../../src/cli/store-command-deps.ts';
import type { Config } from '../../src/config.ts';
import { PUBLIC_ENGINES } from '../../src/kits/brick.ts';
import { openStore } from '../../src/server.ts';
import type { Store } from '../../src/store/store.ts';
import { createWorkspace } from '../../src/workspaces/create-workspace.ts';
import { testConfig } from '../support/test-config.ts';

describe('the use-case dependencies of the commands that open the store', () => {
  let dataDir: string;
  let config: Readonly<Config>;
  let store: Store;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-cli-deps-'));
    config = testConfig(dataDir);
    store = openStore(config);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('offer the public engines and the given settings', () => {
    const deps = storeCommandDeps(store, config);
    expect([...deps.engines].sort()).toEqual([...PUBLIC_ENGINES].sort());
    expect(deps.config).toBe(config);
    expect(deps.store).toBe(store);
    expect(deps.ids.ulid()).not.toBe(deps.ids.ulid());
    expect(Math.abs(deps.clock.now() - Date.now())).toBeLessThan(60_000);
  });

  it('create a workspace with every starter Kit', async () => {
    const { workspace, kits } = await createWorkspace(storeCommandDeps(store, config), 'cli', config.kitsDir);
    expect(workspace.name).toBe('cli');
    expect(kits.map((kit) => kit.code)).toContain('A1B2C3D4');
    expect(kits.every((kit) => kit.status === 'published')).toBe(true);
  });
});
