/**
 * PostgreSQL itself restarts under load: a `serve` and a `work` process (real child processes)
 * keep going without being restarted, and every acknowledged run ends exactly once.
 *
 * This restarts the real, shared cluster (`pg_ctlcluster … restart`), which would break every
 * other PostgreSQL test running at the same moment. It therefore runs only with
 * SEMARIZE_TEST_PG_RESTART=1, which `.ci/run` sets for this one file, alone, after `npm test`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStore } from '../../src/server.ts';
import { type ChildService, spawnService } from '../support/child-server.ts';
import { type ApiResponse, createClient, waitFor } from '../support/http-client.ts';
import { adminQuery, createTestSchema, TEST_DATABASE_URL } from '../support/postgres-schema.ts';
import { seedStore } from '../support/seed.ts';
import { testConfig } from '../support/test-config.ts';

type Json = Record<string, unknown>;
const run = promisify(execFile);

const ENABLED = process.env['SEMARIZE_TEST_PG_RESTART'] === '1';
const TRANSCRIPT = 'Rep: What drove the urgency?\nProspect: We lose 3 hours a week.';
const LOAD_CONCURRENCY = 4;
/** Runs acknowledged before the restart, and again after it (proof that creation works again). */
const BEFORE = 100;
const AFTER = 100;
const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * The cluster that serves DATABASE_URL, as `pg_ctlcluster` names it: version (the directory under
 * /etc/postgresql) and cluster name (`main` on CI), found by port in `pg_lsclusters`.
 */
async function clusterOf(databaseUrl: string): Promise<{ version: string; name: string }> {
  const port = new URL(databaseUrl).port || '5432';
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  const line = stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((fields) => fields[2] === port);
  if (!line) throw new Error(`no local PostgreSQL cluster listens on port ${port}:\n${stdout}`);
  return { version: line[0]!, name: line[1]! };
}

const isReady = async (host: string, port: string) =>
  run('pg_isready', ['-q', '-h', host, '-p', port]).then(
    () => true,
    () => false,
  );

/** Never leave PostgreSQL down: start the cluster if it is not up, and wait until it accepts connections. */
async function ensureUp(cluster: { version: string; name: string }): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  const host = url.hostname || '127.0.0.1';
  const port = url.port || '5432';
  if (await isReady(host, port)) return;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start']).catch(
    () => {},
  );
  await waitFor(() => isReady(host, port), 60_000, 'PostgreSQL to accept connections');
}

function runBody(i: number): Json {
  return {
    ...(i % 2 === 0
      ? { kit_code: 'A1B2C3D4', input: { transcript: `${TRANSCRIPT}\nRep: run ${i}` } }
      : { kit_code: 'SW000001', input: { transcript: TRANSCRIPT, sleep_ms: 50 + (i % 7) * 50 } }),
    ...(i % 5 === 0 ? { mode: 'sync' } : {}),
  };
}

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL restarting under load', () => {
  it('serve and work processes ride out a cluster restart: every acknowledged run ends exactly once', async (ctx) => {
    if (!ENABLED) {
      ctx.skip(
        'restarts the shared PostgreSQL cluster: runs only with SEMARIZE_TEST_PG_RESTART=1, alone (.ci/run does this after npm test)',
      );
    }
    const cluster = await clusterOf(TEST_DATABASE_URL);
    const schema = await createTestSchema();
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-pg-restart-'));
    const children: ChildService[] = [];
    onTestFinished(async () => {
      await ensureUp(cluster);
      await Promise.all(
        children.map(async (c) => {
          if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
          await c.exited;
        }),
      );
      await schema.drop();
      await rm(dataDir, { recursive: true, force: true });
    });

    const seedingStore = openStore(testConfig(dataDir, { databaseUrl: schema.url }));
    const seeded = await seedStore(seedingStore);
    await seedingStore.close();

    const env = {
      DATABASE_URL: schema.url,
      SEMARIZE_DB_POOL_SIZE: '4',
      // Short leases: runs whose outcome could not be written during the restart are retried soon.
      SEMARIZE_LEASE_MS: '2000',
      SEMARIZE_RATE_LIMIT_CREATE: '0',
      SEMARIZE_RATE_LIMIT_READ: '0',
      SEMARIZE_LOG_LEVEL: 'error',
    };
    const [serve, work] = await Promise.all([spawnService('serve', env), spawnService('work', env)]);
    children.push(serve!, work!);
    const api = createClient(serve!.url!, seeded.liveKey);
    /** Fails the test at once if a process died: it must ride out the restart, not exit. */
    const alive = () => {
      for (const c of children) {
        if (c.child.exitCode !== null || c.child.signalCode !== null) {
          const role = c === serve ? 'serve' : 'work';
          throw new Error(
            `the ${role} process exited (${c.child.exitCode ?? c.child.signalCode}) during the restart:\n${c.stderr()}`,
          );
        }
      }
      return true;
    };

    // The load: runs created a few at a time until told to stop; every answer is recorded.
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let stop = false;
    let next = 0;
    const client = async () => {
      while (!stop) {
        const i = next++;
        const res: ApiResponse<Json> = await api<Json>('/v1/runs', { body: runBody(i) }).catch(
          (error: Error) => ({ status: 0, text: error.message, body: {}, headers: new Headers() }),
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 || res.status === 202) acknowledged.push(res.body['run_id'] as string);
        // During the restart the only acceptable refusal is 503 unavailable (with Retry-After).
        else if (
          res.status !== 503 ||
          res.body['error'] !== 'unavailable' ||
          !(Number(res.headers.get('retry-after')) >= 1)
        )
          unexpected.push(`run ${i}: ${res.status} ${res.text}`);
      }
    };
    const load = Promise.all(Array.from({ length: LOAD_CONCURRENCY }, client));

    try {
      await waitFor(
        async () => alive() && acknowledged.length >= BEFORE,
        30_000,
        `${BEFORE} runs before the restart`,
      );
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'restart']);
      await ensureUp(cluster);
      const afterRestart = acknowledged.length;
      await waitFor(
        async () => alive() && acknowledged.length >= afterRestart + AFTER,
        30_000,
        `${AFTER} runs acknowledged after the restart`,
      );
    } catch (error) {
      // Cleanup kills the processes, which ends requests still waiting.
      stop = true;
      throw error;
    }
    stop = true;
    await load;
    expect(unexpected, JSON.stringify([...statuses])).toEqual([]);

    // Neither process was restarted, and both work again.
    alive();
    await waitFor(
      async () => alive() && (await fetch(`${serve!.url}/readyz`)).status === 200,
      30_000,
      'the serve process to be ready',
    );
    const sync = await api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(sync.status).toBe(200);
    expect(sync.body['status']).toBe('succeeded');
    acknowledged.push(sync.body['run_id'] as string);

    // Every run in the schema (acknowledged or not) reaches a terminal status.
    const sql = (text: string) => adminQuery(text.replaceAll('{s}', schema.name));
    await waitFor(
      async () => {
        const [row] = await sql(
          `SELECT count(*) FILTER (WHERE status NOT IN ('succeeded', 'failed', 'cancelled'))::int AS open
             FROM {s}.runs`,
        );
        return alive() && row!['open'] === 0;
      },
      60_000,
      'every run to finish',
    );

    // Each with exactly one terminal event that matches its status; none twice.
    const rows = await sql(
      `SELECT r.id, r.status, array_remove(array_agg(e.type), NULL) AS events
         FROM {s}.runs r LEFT JOIN {s}.run_events e ON e.run_id = r.id GROUP BY r.id, r.status`,
    );
    const runs = new Map(rows.map((r) => [r['id'] as string, r]));
    const missing = acknowledged.filter((id) => !runs.has(id));
    expect(missing).toEqual([]);
    const wrong = rows
      .filter((r) => {
        const events = r['events'] as string[];
        return (
          !TERMINAL.includes(r['status'] as string) ||
          events.length !== 1 ||
          events[0] !== `run.${r['status']}`
        );
      })
      .map((r) => `${r['id']}: ${r['status']} ${JSON.stringify(r['events'])}`);
    expect(wrong).toEqual([]);
    // Nothing here can fail: runs interrupted by the restart are retried and succeed.
    const notSucceeded = acknowledged.filter((id) => runs.get(id)!['status'] !== 'succeeded');
    expect(notSucceeded).toEqual([]);

    // The processes stop cleanly afterwards.
    serve!.child.kill('SIGTERM');
    work!.child.kill('SIGTERM');
    expect((await serve!.exited).code).toBe(0);
    expect((await work!.exited).code).toBe(0);
  }, 150_000);
});
