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

describe('crash recovery', () => {
  it('a server SIGKILLed while runs are running: after restart every acknowledged run is terminal, none twice', async () => {
    const { dataDir, liveKey } = await seededDataDir('semarize-crash-');
    dirs.push(dataDir);
    const env = { SEMARIZE_DATA_DIR: dataDir, SEMARIZE_LEASE_MS: '1500', SEMARIZE_WORKER_CONCURRENCY: '4' };

    const first = await spawnServer(env);
    const api = createClient(first.url, liveKey);
    const acknowledged: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await api('/v1/runs', {
        body: { kit_code: 'SW000001', input: { transcript: `A: run ${i}`, sleep_ms: 2_000 } },
      });
      expect(res.status).toBe(202);
      acknowledged.push(res.body['run_id'] as string);
    }
    const runningAtKill = await waitFor(
      async () => {
        const states = await Promise.all(
          acknowledged.map(async (id) => ({ id, status: (await api(`/v1/runs/${id}`)).body['status'] })),
        );
        const running = states.filter((s) => s.status === 'running').map((s) => s.id);
        return running.length >= 2 ? running : null;
      },
      20_000,
      'runs to be running',
    );

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await spawnServer(env);
    const api2 = createClient(second.url, liveKey);
    const finals = new Map<string, Record<string, unknown>>();
    for (const id of acknowledged) {
      finals.set(
        id,
        await waitFor(
          async () => {
            const res = await api2(`/v1/runs/${id}`, { headers: { prefer: 'wait=10' } });
            return ['succeeded', 'failed', 'cancelled'].includes(res.body['status'] as string)
              ? res.body
              : null;
          },
          60_000,
          `run ${id} to finish after restart`,
        ),
      );
    }
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    for (const [id, run] of finals) {
      expect(run['status'], id).toBe('succeeded');
      // Runs that were executing when the process died were re-leased and ran again.
      if (runningAtKill.includes(id)) expect(run['attempt'], id).toBe(2);
    }
    const store = openStore(testConfig(dataDir));
    try {
      for (const id of acknowledged) {
        const events = await store.runEventList(id);
        expect(
          events.map((e) => e.type),
          id,
        ).toEqual(['run.succeeded']);
      }
    } finally {
      await store.close();
    }
  });

  it('a run whose worker dies on its last allowed attempt fails with worker_lost', async () => {
    const { dataDir, liveKey } = await seededDataDir('semarize-lost-');
    dirs.push(dataDir);
    const env = { SEMARIZE_DATA_DIR: dataDir, SEMARIZE_LEASE_MS: '1000', SEMARIZE_MAX_ATTEMPTS: '1' };
    const first = await spawnServer(env);
    const api = createClient(first.url, liveKey);
    const created = await api('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } },
    });
    const runId = created.body['run_id'] as string;
    await waitFor(
      async () => (await api(`/v1/runs/${runId}`)).body['status'] === 'running',
      20_000,
      'run to start',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer(env);
    const api2 = createClient(second.url, liveKey);
    const run = await waitFor(
      async () => {
        const res = await api2(`/v1/runs/${runId}`, { headers: { prefer: 'wait=5' } });
        return res.body['status'] === 'failed' ? res.body : null;
      },
      30_000,
      'worker_lost',
    );
    expect(run).toMatchObject({
      error_code: 'worker_lost',
      attempt: 1,
      error_user_message: expect.any(String),
    });
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
