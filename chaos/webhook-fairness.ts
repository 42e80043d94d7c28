/**
 * Chaos scenario: one tenant's receivers hang, another tenant's must not wait (SPEC §9.4).
 * Workspace A has 20 endpoints whose receivers never answer and a steady stream of events;
 * workspace B has one healthy endpoint. B's delivery latency is what is measured, on SQLite (one
 * `up` process) or PostgreSQL (one `serve` and two `work` processes, whose dispatchers share it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../packages/server/src/server.ts';
import { maxInFlightPerWorkspace } from '../packages/server/src/webhooks/delivery-fairness.ts';
import { spawnServer, spawnService } from '../packages/server/test/support/child-server.ts';
import { createClient, waitFor } from '../packages/server/test/support/http-client.ts';
import { createTestSchema } from '../packages/server/test/support/postgres-schema.ts';
import { seededDataDir, seedStore } from '../packages/server/test/support/seed.ts';
import { testConfig } from '../packages/server/test/support/test-config.ts';
import { WebhookReceiver } from '../packages/server/test/support/webhook-receiver.ts';

export interface FairnessFigures {
  store: 'sqlite' | 'postgres';
  endpointsA: number;
  /** Runs of A queued before B's events start, and made while they flow. */
  runsA: number;
  seconds: number;
  eventsB: number;
  deliveredB: number;
  /** B's terminal → receiver latency in ms; an event not delivered by the end counts as infinite. */
  p50: number;
  p99: number;
  max: number;
  /** Requests A's receivers were sent; the most open at one endpoint, and at all of A's, at once. */
  requestsA: number;
  maxOpenPerEndpointA: number;
  maxOpenA: number;
  /** How long after B's last event the scenario waited for stragglers. */
  graceSeconds: number;
}

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.POSITIVE_INFINITY;

/** The server processes: one `up` on SQLite, or one `serve` and two `work` on one PostgreSQL schema. */
async function startProcesses(store: 'sqlite' | 'postgres') {
  const env = {
    SEMARIZE_ALLOW_PRIVATE_WEBHOOKS: '1',
    SEMARIZE_RATE_LIMIT_CREATE: '0',
    SEMARIZE_RATE_LIMIT_READ: '0',
    SEMARIZE_MAX_QUEUED_RUNS: '100000',
  };
  if (store === 'sqlite') {
    const { dataDir, ...keys } = await seededDataDir('semarize-chaos-fairness-');
    const server = await spawnServer({ ...env, SEMARIZE_DATA_DIR: dataDir });
    return {
      ...keys,
      url: server.url,
      async stop() {
        server.child.kill('SIGTERM');
        await server.exited;
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = await createTestSchema();
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-chaos-fairness-'));
  const seeding = openStore(testConfig(dataDir, { databaseUrl: schema.url }));
  const keys = await seedStore(seeding);
  await seeding.close();
  const pgEnv = { ...env, SEMARIZE_DATA_DIR: dataDir, DATABASE_URL: schema.url };
  const front = await spawnServer({ ...pgEnv, SEMARIZE_TEST_ROLE: 'serve' });
  const workers = await Promise.all([spawnService('work', pgEnv), spawnService('work', pgEnv)]);
  return {
    ...keys,
    url: front.url,
    async stop() {
      for (const service of [front, ...workers]) service.child.kill('SIGTERM');
      await Promise.all([front, ...workers].map((service) => service.exited));
      await schema.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function webhookFairness(options: {
  store: 'sqlite' | 'postgres';
  /** Runs of A queued before B starts: 20 hanging deliveries each. */
  backlogRuns: number;
  /** How long B sends events (10 a second) while A keeps adding runs (2 a second). */
  seconds: number;
  graceSeconds: number;
}): Promise<FairnessFigures> {
  // Default dispatcher settings: 32 deliveries in flight per process, 10 s attempt timeout.
  const server = await startProcesses(options.store);
  const { liveKey, otherWorkspaceKey } = server;
  const hanging = await Promise.all(Array.from({ length: 20 }, () => WebhookReceiver.start()));
  const healthy = await WebhookReceiver.start();
  for (const receiver of hanging) receiver.mode = 'hang';
  const a = createClient(server.url, liveKey);
  const b = createClient(server.url, otherWorkspaceKey);
  try {
    for (const receiver of hanging) {
      const res = await a('/v1/webhooks', { body: { url: receiver.url } });
      if (res.status !== 201) throw new Error(`endpoint not created: ${res.text}`);
    }
    const created = await b('/v1/webhooks', { body: { url: healthy.url } });
    if (created.status !== 201) throw new Error(`endpoint not created: ${created.text}`);

    let runsA = 0;
    const runA = async () => {
      const res = await a('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } } });
      if (res.status !== 202) throw new Error(`run not created: ${res.text}`);
      runsA++;
    };
    for (let i = 0; i < options.backlogRuns; i += 10) await Promise.all(Array.from({ length: 10 }, runA));
    // B starts once A's hanging deliveries hold all the dispatcher slots A may take (of one
    // dispatcher's at least).
    await waitFor(
      async () => (hanging.reduce((n, r) => n + r.open, 0) >= maxInFlightPerWorkspace(32) ? true : null),
      60_000,
      "A's hanging deliveries",
    );

    const sentB: string[] = [];
    const started = performance.now();
    let tick = 0;
    let maxOpenA = 0;
    while (performance.now() - started < options.seconds * 1000) {
      const res = await b('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } } });
      if (res.status !== 202) throw new Error(`run not created: ${res.text}`);
      sentB.push(res.body['run_id'] as string);
      if (tick++ % 5 === 0) await runA();
      maxOpenA = Math.max(
        maxOpenA,
        hanging.reduce((n, r) => n + r.open, 0),
      );
      const next = started + tick * 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    const deliveredRuns = () =>
      new Set(healthy.received.map((d) => (JSON.parse(d.body) as { data: { run_id: string } }).data.run_id));
    await waitFor(
      async () => (deliveredRuns().size >= sentB.length ? true : null),
      options.graceSeconds * 1000,
      "B's deliveries",
    ).catch(() => undefined); // what has not arrived by then is reported, not thrown

    const firstArrival = new Map<string, number>();
    for (const d of healthy.received) {
      const event = JSON.parse(d.body) as { created_at: string; data: { run_id: string } };
      const latency = d.receivedAt - Date.parse(event.created_at);
      if (!firstArrival.has(event.data.run_id)) firstArrival.set(event.data.run_id, latency);
    }
    const latencies = sentB
      .map((id) => firstArrival.get(id) ?? Number.POSITIVE_INFINITY)
      .sort((x, y) => x - y);
    return {
      store: options.store,
      endpointsA: hanging.length,
      runsA,
      seconds: options.seconds,
      eventsB: sentB.length,
      deliveredB: firstArrival.size,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.POSITIVE_INFINITY,
      requestsA: hanging.reduce((n, r) => n + r.received.length, 0),
      maxOpenPerEndpointA: Math.max(...hanging.map((r) => r.maxOpen)),
      maxOpenA,
      graceSeconds: options.graceSeconds,
    };
  } finally {
    await Promise.all([...hanging, healthy].map((r) => r.close()));
    await server.stop();
  }
}
