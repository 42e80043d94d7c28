import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server.ts';
import { spawnServer } from '../support/child-server.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import { seededDataDir } from '../support/seed.ts';
import { testConfig } from '../support/test-config.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('SIGTERM during load loses no acknowledged run', async () => {
    const { dataDir, liveKey } = await seededDataDir('semarize-sigterm-');
    dirs.push(dataDir);
    // A short grace period, so some runs are still executing when it ends and must be handed back.
    const env = {
      SEMARIZE_DATA_DIR: dataDir,
      SEMARIZE_SHUTDOWN_GRACE_MS: '500',
      SEMARIZE_WORKER_CONCURRENCY: '8',
    };

    const server = await spawnServer(env);
    const api = createClient(server.url, liveKey);
    const acknowledged = new Set<string>();
    let refused = 0;
    let sent = 0;
    const bodies = [
      { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Quick one?' } },
      { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'Rep: Sync one?' } },
      { kit_code: 'SW000001', input: { transcript: 'A: slow', sleep_ms: 1_500 } },
      { kit_code: 'SW000001', mode: 'sync', input: { transcript: 'A: slow sync', sleep_ms: 300 } },
    ];
    let stopped = false;
    const client = async (worker: number) => {
      for (let i = 0; !stopped && i < 200; i++) {
        sent++;
        try {
          const res = await api('/v1/runs', { body: bodies[(worker + i) % bodies.length] });
          if (res.status === 200 || res.status === 202) acknowledged.add(res.body['run_id'] as string);
          else if (res.status === 503) refused++;
          else throw new Error(`unexpected ${res.status}: ${res.text}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
          refused++; // connection refused or reset once the server stopped listening
          if (stopped) return;
        }
      }
    };
    const clients = Array.from({ length: 12 }, (_, w) => client(w));
    await waitFor(async () => acknowledged.size >= 60, 30_000, 'load to build up');
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    stopped = true;
    await Promise.all(clients);
    expect(exit.code).toBe(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);
    // Every request was either acknowledged or visibly refused (503 or connection refused): none vanished.
    expect(acknowledged.size + refused).toBe(sent);

    const restarted = await spawnServer(env);
    const api2 = createClient(restarted.url, liveKey);
    for (const id of acknowledged) {
      const run = await waitFor(
        async () => {
          const res = await api2(`/v1/runs/${id}`, { headers: { prefer: 'wait=10' } });
          if (res.status !== 200)
            throw new Error(`acknowledged run ${id} is missing after restart: ${res.status}`);
          return ['succeeded', 'failed', 'cancelled'].includes(res.body['status'] as string)
            ? res.body
            : null;
        },
        60_000,
        `run ${id}`,
      );
      expect(run['status'], id).toBe('succeeded');
    }
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
    const store = openStore(testConfig(dataDir));
    try {
      for (const id of acknowledged) expect((await store.runEventList(id)).length, id).toBe(1);
    } finally {
      await store.close();
    }
  });
});
