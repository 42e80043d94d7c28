/**
 * Scale-out under load (SPEC §7): two `serve` processes and three `work` processes, each a real
 * child process, on one PostgreSQL schema. Runs are created through both servers while one work
 * process is SIGKILLed; every acknowledged run still ends exactly once, and every event reaches
 * the webhook receiver at least once, signed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server.ts';
import type { Store } from '../../src/store/store.ts';
import { type ChildService, spawnService } from '../support/child-server.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import {
  adminQuery,
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';
import { type Seeded, seedStore } from '../support/seed.ts';
import { testConfig } from '../support/test-config.ts';
import { handCheck } from '../support/webhook-checks.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

type Json = Record<string, unknown>;

const RUNS = 2_000;
/** Requests in flight at once: enough to keep five processes busy on two cores, not more. */
const LOAD_CONCURRENCY = 12;
/** The work process is killed once this many runs are acknowledged. */
const KILL_AFTER = RUNS / 2;
const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.';
/** A run this slow is in flight long enough to be caught by the kill. */
const LONG_SLEEP_MS = 1_000;

/** Run i: every 10th sync; a mix of the instant starter Kit and the slow test Kit. */
function runBody(i: number): Json {
  const input =
    i % 25 === 7
      ? { transcript: TRANSCRIPT, sleep_ms: LONG_SLEEP_MS }
      : i % 3 === 1
        ? { transcript: TRANSCRIPT, sleep_ms: 10 + (i % 5) * 20 }
        : null;
  return {
    kit_code: input ? 'SW000001' : 'A1B2C3D4',
    input: input ?? { transcript: `${TRANSCRIPT}\nRep: run ${i}` },
    ...(i % 10 === 0 ? { mode: 'sync' } : {}),
  };
}

describe.skipIf(!TEST_DATABASE_URL)('two serve and three work processes on one PostgreSQL schema', () => {
  let schema: TestSchema;
  let dataDir: string;
  let seeded: Seeded;
  let store: Store;
  let receiver: WebhookReceiver;
  const children: ChildService[] = [];

  beforeAll(async () => {
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-pg-scale-out-'));
    store = openStore(testConfig(dataDir, { databaseUrl: schema.url }));
    seeded = await seedStore(store);
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
        await c.exited;
      }),
    );
    await store?.close();
    await receiver?.close();
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** The schema's own tables (the test's connection does not use its search_path). */
  const sql = (text: string, values: unknown[] = []) =>
    adminQuery(text.replaceAll('{s}', schema.name), values);

  it(`${RUNS} runs through both servers while a work process is SIGKILLed: each ends once, every event is delivered`, async () => {
    const env = {
      DATABASE_URL: schema.url,
      SEMARIZE_DB_POOL_SIZE: '4',
      // Short leases: the killed process's runs are re-leased by the others soon after.
      SEMARIZE_LEASE_MS: '2000',
      SEMARIZE_ALLOW_PRIVATE_WEBHOOKS: '1',
      SEMARIZE_RATE_LIMIT_CREATE: '0',
      SEMARIZE_RATE_LIMIT_READ: '0',
      SEMARIZE_LOG_LEVEL: 'error',
    };
    const started = await Promise.all([
      spawnService('serve', env),
      spawnService('serve', env),
      spawnService('work', env),
      spawnService('work', env),
      spawnService('work', env),
    ]);
    children.push(...started);
    const servers = started.slice(0, 2);
    const [victim, ...survivors] = started.slice(2);
    expect(servers.every((s) => s.url !== null && s.workerId === null)).toBe(true);
    expect(started.slice(2).every((w) => w.url === null && w.workerId !== null)).toBe(true);
    const apis = servers.map((s) => createClient(s.url!, seeded.liveKey));

    const hook = await apis[0]!('/v1/webhooks', { body: { url: receiver.url } });
    expect(hook.status, hook.text).toBe(201);
    const secret = hook.body['secret'] as string;

    // The load: RUNS creations, alternating between the two servers, a few at a time.
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let next = 0;
    const client = async () => {
      while (next < RUNS) {
        const i = next++;
        const res = await apis[i % 2]!('/v1/runs', { body: runBody(i) }).catch((error: Error) => ({
          status: 0,
          text: error.message,
          body: {} as Json,
        }));
        if (res.status === 200 || res.status === 202) acknowledged.push(res.body['run_id'] as string);
        else refused.push(`run ${i}: ${res.status} ${res.text}`);
      }
    };
    const load = Promise.all(Array.from({ length: LOAD_CONCURRENCY }, client));

    // Midway, SIGKILL a work process while it is executing a slow run it has only just started.
    await waitFor(
      async () => {
        if (acknowledged.length < KILL_AFTER) return null;
        const rows = await sql(
          `SELECT id FROM {s}.runs WHERE status = 'running' AND worker_id = $1 AND started_at > $2
             AND input LIKE $3`,
          [victim!.workerId, Date.now() - LONG_SLEEP_MS / 2, `%"sleep_ms":${LONG_SLEEP_MS}%`],
        );
        return rows.length > 0 ? rows : null;
      },
      60_000,
      'the work process to be executing a slow run midway through the load',
    );
    victim!.child.kill('SIGKILL');
    expect((await victim!.exited).signal).toBe('SIGKILL');
    // Everything the dead process held is frozen until its leases expire.
    const interrupted = (
      await sql(`SELECT id FROM {s}.runs WHERE status = 'running' AND worker_id = $1`, [victim!.workerId])
    ).map((r) => r['id'] as string);
    expect(interrupted.length).toBeGreaterThan(0);

    await load;
    expect(refused).toEqual([]);
    expect(acknowledged).toHaveLength(RUNS);
    expect(new Set(acknowledged).size).toBe(RUNS);

    // Every acknowledged run reaches a terminal status; nothing else was created.
    await waitFor(
      async () => {
        const [row] = await sql(
          `SELECT count(*)::int AS total,
                  count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled'))::int AS done
             FROM {s}.runs`,
        );
        return row!['total'] === RUNS && row!['done'] === RUNS;
      },
      60_000,
      'every run to finish',
    );

    // Exactly once: one terminal event per run, matching its status.
    const workspaceId = (await store.workspaceGetByName('default'))!.id;
    const events = new Map<string, { runId: string; type: string }>();
    const problems: string[] = [];
    for (let from = 0; from < acknowledged.length; from += 50) {
      await Promise.all(
        acknowledged.slice(from, from + 50).map(async (runId) => {
          const [run, runEvents] = await Promise.all([
            store.runGet(workspaceId, runId),
            store.runEventList(runId),
          ]);
          if (run?.status !== 'succeeded') problems.push(`${runId} is ${run?.status}`);
          if (runEvents.length !== 1 || runEvents[0]!.type !== 'run.succeeded')
            problems.push(`${runId} has events ${JSON.stringify(runEvents.map((e) => e.type))}`);
          for (const e of runEvents) events.set(e.id, { runId, type: e.type });
        }),
      );
    }
    expect(problems).toEqual([]);
    expect(events.size).toBe(RUNS);
    // The runs the dead process was executing were re-leased and executed again elsewhere, except
    // any whose finishing statement had already reached PostgreSQL: a statement the server has
    // received completes even when its client dies (once, as the events above show).
    const survivorIds = survivors.map((w) => w.workerId);
    let executedAgain = 0;
    for (const runId of interrupted) {
      const run = (await store.runGet(workspaceId, runId))!;
      if (run.workerId === victim!.workerId) {
        expect(run.attempt, runId).toBe(1);
        continue;
      }
      expect(run.attempt, runId).toBeGreaterThanOrEqual(2);
      expect(survivorIds, runId).toContain(run.workerId);
      executedAgain++;
    }
    expect(executedAgain).toBeGreaterThan(0);

    // At least once: every event reaches the receiver (the dead process's deliveries once their
    // leases expire), each delivery signed with the endpoint's secret.
    await waitFor(
      async () => {
        const got = new Set(receiver.received.map((d) => d.headers['semarize-event-id']));
        return [...events.keys()].every((id) => got.has(id));
      },
      75_000,
      'every event to be delivered',
    );
    expect(receiver.received.length).toBeGreaterThanOrEqual(RUNS);
    const unsigned: string[] = [];
    for (const d of receiver.received) {
      const eventId = String(d.headers['semarize-event-id']);
      const body = JSON.parse(d.body) as { id: string; type: string; data: Json };
      const event = events.get(eventId);
      if (
        !handCheck(String(d.headers['semarize-signature']), secret, d.body) ||
        body.id !== eventId ||
        body.type !== event?.type ||
        body.data['run_id'] !== event.runId
      )
        unsigned.push(eventId);
    }
    expect(unsigned).toEqual([]);

    // The survivors are still running, and stop cleanly.
    for (const c of [...servers, ...survivors]) expect(c.child.exitCode).toBeNull();
    for (const c of [...servers, ...survivors]) c.child.kill('SIGTERM');
    for (const c of [...servers, ...survivors]) expect((await c.exited).code).toBe(0);
  }, 150_000);
});
