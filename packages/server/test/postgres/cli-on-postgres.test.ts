/**
 * The command line on PostgreSQL (SPEC §7–§8): `semarize migrate` from several processes at once,
 * and real `semarize serve` and `semarize work` processes sharing one database.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import {
  adminQuery,
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';
import { seedStore } from '../support/seed.ts';
import { testConfig } from '../support/test-config.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/semarize.js');
const MIGRATIONS_DIR = join(import.meta.dirname, '../../src/store/migrations/postgres');

async function semarize(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!TEST_DATABASE_URL)('the command line on PostgreSQL', () => {
  let schema: TestSchema;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'semarize-cli-pg-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(null);
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    await schema?.drop();
  });

  it('migrate from three processes at once: each succeeds and every migration is applied once', async () => {
    schema = await createTestSchema();
    const results = await Promise.all(
      [1, 2, 3].map(() => semarize(['migrate'], { DATABASE_URL: schema.url })),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('Migrations applied.');
    }
    const applied = await adminQuery(`SELECT name FROM ${schema.name}.schema_migrations ORDER BY version`);
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(applied.map((r) => r['name'])).toEqual(files);
  });

  it('migrate fails clearly when the database cannot be reached', async () => {
    schema = await createTestSchema();
    const unreachable = new URL(schema.url);
    unreachable.hostname = '127.0.0.1';
    unreachable.port = String(await freePort());
    const r = await semarize(['migrate'], { DATABASE_URL: unreachable.toString() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PostgreSQL unavailable/);
  });

  it('a serve process answers a sync run that a separate work process executes', async () => {
    schema = await createTestSchema();
    const store = openStore(testConfig(dataDir, { databaseUrl: schema.url }));
    const seeded = await seedStore(store);
    await store.close();
    const port = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: schema.url,
      PORT: String(port),
      SEMARIZE_LOG_LEVEL: 'warn',
      SEMARIZE_DB_POOL_SIZE: '3',
    };
    for (const role of ['serve', 'work']) {
      children.push(spawn(process.execPath, [BIN, role], { env, stdio: 'ignore' }));
    }
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
      30_000,
      'the serve process',
    );
    const api = createClient(url, seeded.liveKey);
    const res = await api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Why now?\nProspect: Budget.' } },
      headers: { prefer: 'wait=30' },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
  });
});
