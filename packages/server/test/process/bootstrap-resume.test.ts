import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createIdGenerator } from '../../src/ids.ts';
import { PUBLIC_ENGINES } from '../../src/kits/brick.ts';
import { openStore } from '../../src/server.ts';
import { createWorkspace } from '../../src/workspaces/create-workspace.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import { testConfig } from '../support/test-config.ts';
import { startUpCommand } from '../support/up-command.ts';

const KITS_DIR = join(import.meta.dirname, '../../../../kits');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Starts `semarize up` on `dataDir`, waits until it is ready, returns its URL and what it printed. */
async function startUp(dataDir: string) {
  const up = startUpCommand(dataDir, KITS_DIR);
  const url = await up.url;
  const anonymous = createClient(url, null);
  await waitFor(async () => (await anonymous('/readyz')).status === 200, 20_000, '/readyz 200');
  return {
    url,
    stderr: up.stderr,
    stop: async () => {
      up.child.kill('SIGTERM');
      await up.exited;
    },
  };
}

async function workspaceDeps(dataDir: string) {
  const config = testConfig(dataDir);
  const store = openStore(config);
  const deps = {
    store,
    clock: systemClock,
    ids: createIdGenerator(systemClock),
    engines: new Set<string>(PUBLIC_ENGINES),
    config,
  };
  return deps;
}

describe('first start that stopped part-way', () => {
  it.each([
    ['the workspace, before its Kits and keys', 'bare'],
    ['the workspace and its starter Kits, before its keys', 'with-kits'],
  ] as const)('is finished by the next start when it stopped after %s', async (_, state) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-resume-'));
    dirs.push(dataDir);
    const deps = await workspaceDeps(dataDir);
    await deps.store.ping();
    if (state === 'bare') {
      await deps.store.workspaceInsert({ id: 'ws_left', name: 'default', createdAt: Date.now() });
    } else {
      await createWorkspace(deps, 'default', KITS_DIR);
    }
    await deps.store.close();

    const up = await startUp(dataDir);
    try {
      const liveKey = await waitFor(
        async () => /Admin live key:\s+(smz_live_\w+)/.exec(up.stderr())?.[1],
        5_000,
        'the banner',
      );
      const testKey = /Test key:\s+(smz_test_\w+)/.exec(up.stderr())?.[1];
      expect(testKey).toMatch(/^smz_test_/);
      const api = createClient(up.url, liveKey);
      const run = await api<{ status: string; output: unknown }>('/v1/runs', {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'Rep: Shall we book a demo?' } },
      });
      expect(run.status).toBe(200);
      expect(run.body.status).toBe('succeeded');
      // The starter Kit exists once, with one published version: applying it again changed nothing.
      const kits = await api<{ data: { kit_code: string }[] }>('/v1/kits');
      expect(kits.body.data.filter((k) => k.kit_code === 'A1B2C3D4')).toHaveLength(1);
      const kit = await api<{ versions: { status: string }[] }>('/v1/kits/A1B2C3D4');
      expect(kit.status).toBe(200);
      expect(kit.body.versions.map((v) => v.status)).toEqual(['published']);
    } finally {
      await up.stop();
    }

    // The next start finds keys: no banner, no second workspace or key pair.
    const again = await startUp(dataDir);
    await again.stop();
    expect(again.stderr()).not.toContain('smz_live_');
    const after = await workspaceDeps(dataDir);
    try {
      expect(await after.store.workspaceCount()).toBe(1);
      expect(await after.store.apiKeyList(null)).toHaveLength(2);
    } finally {
      await after.store.close();
    }
  });
});
