/**
 * The database goes away and comes back: requests answer 503 `unavailable` with Retry-After
 * (never 500), and the server recovers by itself, without a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type RunningServer, startServer } from '../../src/server.ts';
import { type ApiResponse, createClient, waitFor } from '../support/http-client.ts';
import {
  adminQuery,
  createTestSchema,
  schemaUrl,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';
import { type Seeded, seedStore } from '../support/seed.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { testConfig } from '../support/test-config.ts';
import { testEngines } from '../support/test-engines.ts';

type Body = Record<string, unknown>;
const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.';

function expectUnavailable(res: ApiResponse<Body>): void {
  expect(res.status).toBe(503);
  expect(res.body['error']).toBe('unavailable');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(res.body['retry_after_seconds']).toEqual(Number(res.headers.get('retry-after')));
}

describe.skipIf(!TEST_DATABASE_URL)('losing the PostgreSQL connection', () => {
  let schema: TestSchema;
  let proxy: TcpProxy;
  let dataDir: string;
  let seeded: Seeded;
  let server: RunningServer;
  let api: ReturnType<typeof createClient>;

  beforeAll(async () => {
    schema = await createTestSchema();
    const database = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    const viaProxy = new URL(schemaUrl(TEST_DATABASE_URL, schema.name));
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-pg-loss-'));
    // Short leases: a run whose outcome could not be written is retried soon after.
    const config = testConfig(dataDir, {
      databaseUrl: viaProxy.toString(),
      syncWaitMs: 20_000,
      leaseMs: 2_000,
    });
    const store = openStore(config);
    seeded = await seedStore(store);
    await store.close();
    server = await startServer({ config, roles: { http: true, executor: true }, extraEngines: testEngines });
    api = createClient(server.url!, seeded.liveKey);
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const syncRun = () =>
    api<Body>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });

  it('while the database is unreachable every request answers 503 unavailable; then it recovers on its own', async () => {
    const before = await syncRun();
    expect(before.body['status']).toBe('succeeded');

    await proxy.cut();
    expectUnavailable(await api<Body>(`/v1/runs/${before.body['run_id']}`));
    expectUnavailable(await syncRun());
    expectUnavailable(await api<Body>('/v1/runs'));
    expectUnavailable(await api<Body>('/readyz', { key: null }));
    expect((await api<Body>('/healthz', { key: null })).status).toBe(200);

    await proxy.restore();
    await waitFor(
      async () => (await api<Body>('/readyz', { key: null })).status === 200,
      20_000,
      'readiness',
    );
    expect((await api<Body>(`/v1/runs/${before.body['run_id']}`)).body['status']).toBe('succeeded');
    // The executor kept going: a new run is claimed, executed and its waiter woken.
    const after = await syncRun();
    expect(after.status).toBe(200);
    expect(after.body['status']).toBe('succeeded');
  });

  it('a run in flight when the connection drops still reaches a terminal status afterwards', async () => {
    const created = await api<Body>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: TRANSCRIPT, sleep_ms: 1_000 } },
    });
    const runId = created.body['run_id'] as string;
    await waitFor(async () => server.executor!.inFlightCount === 1, 20_000, 'the run to start');
    await proxy.cut();
    // The run finishes while its outcome cannot be written; the lease then expires and it is retried.
    await waitFor(async () => server.executor!.inFlightCount === 0, 20_000, 'the attempt to end');
    await proxy.restore();
    const done = await waitFor(
      async () => {
        const res = await api<Body>(`/v1/runs/${runId}`);
        return res.status === 200 && res.body['status'] === 'succeeded' ? res.body : null;
      },
      30_000,
      'the run to succeed',
    );
    expect(done['attempt']).toBe(2);
  });

  it('connections killed by an administrator are replaced: requests answer 200 or 503, never 500', async () => {
    await adminQuery(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [schema.name],
    );
    for (let i = 0; i < 5; i++) {
      const res = await api<Body>('/v1/runs');
      expect([200, 503]).toContain(res.status);
    }
    await waitFor(
      async () => (await api<Body>('/v1/runs')).status === 200,
      20_000,
      'requests to succeed again',
    );
    const after = await syncRun();
    expect(after.body['status']).toBe('succeeded');
  });
});
