/**
 * Fair webhook delivery with several dispatchers on one PostgreSQL schema (SPEC §9.4): the 4 per
 * endpoint hold over all of them, and another workspace's events still go straight through.
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
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';
/** Longer than the test needs when delivery is fair: a hung attempt ending is what would let B through otherwise. */
const ATTEMPT_TIMEOUT_MS = 20_000;

describe.skipIf(!TEST_DATABASE_URL)('two work processes sending webhooks from one PostgreSQL schema', () => {
  let schema: TestSchema;
  let dataDir: string;
  let seeded: Seeded;
  let front: RunningServer;
  const workers: RunningServer[] = [];
  const hanging: WebhookReceiver[] = [];
  let healthy: WebhookReceiver;

  beforeAll(async () => {
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-pg-fairness-'));
    const config = testConfig(dataDir, {
      databaseUrl: schema.url,
      allowPrivateWebhooks: true,
      rateLimitCreate: 0,
      rateLimitRead: 0,
    });
    const store = openStore(config);
    seeded = await seedStore(store);
    await store.close();
    front = await startServer({ config, roles: { http: true, executor: false }, extraEngines: testEngines });
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startServer({
          config,
          roles: { http: false, executor: true },
          extraEngines: testEngines,
          webhookTimeoutMs: ATTEMPT_TIMEOUT_MS,
        }),
      );
    }
    healthy = await WebhookReceiver.start();
    for (let i = 0; i < 8; i++) {
      const receiver = await WebhookReceiver.start();
      receiver.mode = 'hang';
      hanging.push(receiver);
    }
  });

  afterAll(async () => {
    // Receivers first: their dropped connections end the hung attempts, so the workers stop at once.
    await Promise.all([...hanging, healthy].map((r) => r?.close()));
    await front?.close();
    await Promise.all(workers.map((w) => w.close()));
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('never more than 4 in flight to one endpoint over both dispatchers; the other workspace is not held up', async () => {
    const a = createClient(front.url!, seeded.liveKey);
    const b = createClient(front.url!, seeded.otherWorkspaceKey);
    const run = async (api: typeof a) => {
      const res = await api('/v1/runs', {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
      });
      expect(res.status).toBe(200);
      return res.body['run_id'] as string;
    };
    const openAtA = () => hanging.reduce((n, r) => n + r.open, 0);
    const requestsToA = () => hanging.reduce((n, r) => n + r.received.length, 0);

    // Workspace A: 8 endpoints that hang, 10 events each. Their 32 places are more than one
    // dispatcher gives a workspace (24 of 32), so both dispatchers take some.
    for (const receiver of hanging) {
      expect((await a('/v1/webhooks', { body: { url: receiver.url } })).status).toBe(201);
    }
    for (let i = 0; i < 10; i++) await run(a);
    await waitFor(async () => (openAtA() >= 8 * 4 ? true : null), 30_000, "A's deliveries to hang");
    expect(workers.every((w) => (w.dispatcher?.inFlightCount ?? 0) > 0)).toBe(true);

    expect((await b('/v1/webhooks', { body: { url: healthy.url } })).status).toBe(201);
    const runsB: string[] = [];
    for (let i = 0; i < 10; i++) runsB.push(await run(b));
    const deliveredB = () =>
      new Set(healthy.received.map((d) => (JSON.parse(d.body) as { data: { run_id: string } }).data.run_id));
    // A count bound, not a time: B's events all arrive before any of A's attempts ends.
    await waitFor(
      async () => deliveredB().size === runsB.length || openAtA() < requestsToA(),
      3 * ATTEMPT_TIMEOUT_MS,
      "B's deliveries, or an attempt of A's to end",
    );
    expect([...deliveredB()].sort()).toEqual([...runsB].sort());
    expect(openAtA()).toBe(requestsToA());
    for (const receiver of hanging) expect(receiver.maxOpen).toBe(4);
  });
});
