/**
 * `semarize work` runs the background services without HTTP: no Fastify app is built, and its
 * log lines come from the process's own logger, in the same JSON shape as `up`'s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type RunningServer, startServer } from '../../../src/server.ts';
import { createClient, waitFor } from '../../support/http-client.ts';
import { type Seeded, seedStore } from '../../support/seed.ts';
import { testConfig } from '../../support/test-config.ts';
import { testEngines } from '../../support/test-engines.ts';

describe('the work role on SQLite', () => {
  let dataDir: string;
  let seeded: Seeded;
  let front: RunningServer;
  let worker: RunningServer;
  const logs = new PassThrough();
  let logged = '';
  logs.on('data', (chunk: Buffer) => {
    logged += chunk.toString();
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-work-role-'));
    const config = testConfig(dataDir);
    const store = openStore(config);
    seeded = await seedStore(store);
    await store.close();
    front = await startServer({ config, roles: { http: true, executor: false }, extraEngines: testEngines });
    worker = await startServer({
      config: { ...config, logLevel: 'info' },
      roles: { http: false, executor: true },
      extraEngines: testEngines,
      logStream: logs,
    });
  });

  afterAll(async () => {
    await front?.close();
    await worker?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('builds no Fastify app and listens nowhere, but runs the executor, dispatcher and retention', () => {
    expect(worker.app).toBeNull();
    expect(worker.url).toBeNull();
    expect(worker.executor?.running).toBe(true);
    expect(worker.dispatcher?.running).toBe(true);
    expect(worker.retention?.running).toBe(true);
    expect(front.executor).toBeNull();
  });

  it('executes a run created on the serve process (found by polling: SQLite wake-ups are per process)', async () => {
    const api = createClient(front.url!, seeded.liveKey);
    const created = await api<{ run_id: string }>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hello?\nProspect: Hi.' } },
    });
    expect(created.status).toBe(202);
    const workspace = (await front.store.workspaceGetByName('default'))!;
    const run = await waitFor(
      async () => {
        const stored = await front.store.runGet(workspace.id, created.body.run_id);
        return stored?.status === 'succeeded' ? stored : null;
      },
      10_000,
      'the run to succeed',
    );
    expect(run.workerId).toBe(worker.executor!.workerId);
  });

  it('logs JSON lines through its own logger, and stops its services on close', async () => {
    await worker.close();
    expect(worker.executor?.running).toBe(false);
    expect(worker.dispatcher?.running).toBe(false);
    expect(worker.retention?.running).toBe(false);
    const lines = logged
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; pid: number });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'shutting down', pid: process.pid }),
    );
  });
});
