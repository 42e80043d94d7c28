/**
 * Scale-out (SPEC §7): an HTTP-only server and an executor-only server sharing one PostgreSQL
 * schema, as `semarize serve` and `semarize work` on two machines would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type RunningServer, startServer } from '../../src/server.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/postgres-schema.ts';
import { type Seeded, seedStore } from '../support/seed.ts';
import { testConfig } from '../support/test-config.ts';
import { testEngines } from '../support/test-engines.ts';

type Run = Record<string, unknown>;
const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.';

describe.skipIf(!TEST_DATABASE_URL)('a serve process and a work process on one PostgreSQL database', () => {
  let schema: TestSchema;
  let dataDir: string;
  let seeded: Seeded;
  let front: RunningServer;
  let worker: RunningServer;
  let api: ReturnType<typeof createClient>;

  beforeAll(async () => {
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-scale-out-'));
    const config = testConfig(dataDir, { databaseUrl: schema.url, syncWaitMs: 20_000 });
    const store = openStore(config);
    seeded = await seedStore(store);
    await store.close();
    front = await startServer({ config, roles: { http: true, executor: false }, extraEngines: testEngines });
    worker = await startServer({ config, roles: { http: false, executor: true }, extraEngines: testEngines });
    api = createClient(front.url!, seeded.liveKey);
  });

  afterAll(async () => {
    await front?.close();
    await worker?.close();
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the HTTP-only server executes nothing itself', () => {
    expect(front.executor).toBeNull();
    expect(worker.url).toBeNull();
  });

  it('a sync run created on the serve process is executed by the work process, and the wait answers', async () => {
    const res = await api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
    const stored = await front.store.runGet(
      (await front.store.workspaceGetByName('default'))!.id,
      res.body['run_id'] as string,
    );
    expect(stored?.workerId).toBe(worker.executor!.workerId);
  });

  it('a long poll on the serve process wakes when the work process finishes the run', async () => {
    const created = await api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: TRANSCRIPT, sleep_ms: 500 } },
    });
    expect(created.status).toBe(202);
    const polled = await api<Run>(`/v1/runs/${created.body['run_id']}`, { headers: { prefer: 'wait=30' } });
    expect(polled.status).toBe(200);
    expect(polled.body['status']).toBe('succeeded');
  });

  it('cancelling on the serve process stops the work in flight on the work process', async () => {
    const created = await api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: TRANSCRIPT, sleep_ms: 120_000 } },
    });
    const runId = created.body['run_id'] as string;
    await waitFor(async () => (await api<Run>(`/v1/runs/${runId}`)).body['status'] === 'running');
    expect(worker.executor!.inFlightCount).toBe(1);
    const cancelled = await api<Run>(`/v1/runs/${runId}/cancel`, { method: 'POST' });
    expect(cancelled.body['status']).toBe('cancelled');
    await waitFor(async () => worker.executor!.inFlightCount === 0, 20_000, 'the worker to stop the run');
    expect((await api<Run>(`/v1/runs/${runId}`)).body['status']).toBe('cancelled');
  });
});
