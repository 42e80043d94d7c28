/**
 * Migration 0004 (tenancy and the exact queue cap) on a store written by the previous version:
 * the old schema is built from migrations 0001–0003 as they shipped, filled with rows the way the
 * old code wrote them, then opened by the current code, which applies 0004.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/postgres-schema.ts';

const MIGRATIONS = join(import.meta.dirname, '../../src/store/migrations');
const T0 = Date.UTC(2025, 3, 1);

/** The migrations before 0004, in order, as [version, file name, SQL]. */
async function oldMigrations(dialect: 'sqlite' | 'postgres'): Promise<[number, string, string][]> {
  const dir = join(MIGRATIONS, dialect);
  const files = (await readdir(dir)).filter((f) => /^000[1-3]_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => [Number(f.slice(0, 4)), f, await readFile(join(dir, f), 'utf8')]),
  );
}

/** Rows as the previous version wrote them: two workspaces, a Kit, runs, idempotency keys, an endpoint. */
const OLD_ROWS = [
  `INSERT INTO workspaces (id, name, created_at) VALUES ('ws_a', 'a', ${T0}), ('ws_b', 'b', ${T0})`,
  `INSERT INTO kits (id, workspace_id, code, name, created_at) VALUES ('kit_a', 'ws_a', 'A1B2C3D4', 'Call basics', ${T0})`,
  `INSERT INTO kit_versions (id, kit_id, version, status, name, description, model, bricks, created_at, published_at)
     VALUES ('11111111-1111-4111-8111-111111111111', 'kit_a', 1, 'published', 'Call basics', '', '{}', '[]', ${T0}, ${T0})`,
  ...[
    ['run_01', 'queued', 'api'],
    ['run_02', 'queued', 'api'],
    ['run_03', 'queued', 'sandbox'],
    ['run_04', 'running', 'api'],
    ['run_05', 'succeeded', 'api'],
  ].map(
    ([id, status, type]) =>
      `INSERT INTO runs (id, workspace_id, status, run_type, mode, kit_code, kit_version_id, input, created_at)
       VALUES ('${id}', 'ws_a', '${status}', '${type}', 'async', 'A1B2C3D4', '11111111-1111-4111-8111-111111111111',
         '{}', ${T0})`,
  ),
  `INSERT INTO idempotency_keys (workspace_id, key, fingerprint, field_hashes, run_id, created_at, expires_at)
     VALUES ('ws_a', 'k-api', 'f1', '{}', 'run_01', ${T0}, ${T0 + 86_400_000}),
            ('ws_a', 'k-sandbox', 'f3', '{}', 'run_03', ${T0}, ${T0 + 86_400_000})`,
  `INSERT INTO webhook_endpoints (id, workspace_id, url, description, events, payload, enabled, secret, created_at, updated_at)
     VALUES ('we_a', 'ws_a', 'https://hooks.example.com/a', '', '["run.succeeded"]', 'full', TRUE, 'whsec_a', ${T0}, ${T0})`,
];

/** What must hold once the current code opened the old store. */
async function expectMigrated(store: Store): Promise<void> {
  // Kit codes are per workspace now: workspace b may take a's code, and cannot see a's Kit.
  expect(await store.kitExistsByCode('ws_a', 'A1B2C3D4')).toBe(true);
  expect(await store.kitExistsByCode('ws_b', 'A1B2C3D4')).toBe(false);
  await store.kitInsert({
    id: 'kit_b',
    workspaceId: 'ws_b',
    code: 'A1B2C3D4',
    name: 'Theirs',
    createdAt: T0,
  });
  expect((await store.kitGetByCode('ws_a', 'A1B2C3D4'))?.id).toBe('kit_a');
  expect((await store.kitGetByCode('ws_b', 'A1B2C3D4'))?.id).toBe('kit_b');
  // The old Kit's versions still belong to it.
  expect((await store.kitVersionList('kit_a')).map((v) => v.version)).toEqual([1]);

  // Keys took the mode of their run: api runs' keys are live, sandbox runs' keys are test.
  expect((await store.idempotencyKeyGet('ws_a', 'live', 'k-api', T0))?.runId).toBe('run_01');
  expect(await store.idempotencyKeyGet('ws_a', 'test', 'k-api', T0)).toBeNull();
  expect((await store.idempotencyKeyGet('ws_a', 'test', 'k-sandbox', T0))?.runId).toBe('run_03');
  expect(await store.idempotencyKeyGet('ws_a', 'live', 'k-sandbox', T0)).toBeNull();

  // Endpoints made before modes are live.
  const endpoints = await store.webhookEndpointList({ workspaceId: 'ws_a', mode: 'live' });
  expect(endpoints.map((e) => [e.id, e.mode])).toEqual([['we_a', 'live']]);
  expect(await store.webhookEndpointList({ workspaceId: 'ws_a', mode: 'test' })).toEqual([]);

  // The queued counts start from the runs that were queued, and follow the queue from there.
  expect(await store.runCountQueued('ws_a')).toBe(3);
  expect(await store.runCountQueued('ws_b')).toBe(0);
  await store.runClaim({ workerId: 'w1', limit: 1, now: T0 + 1, leaseMs: 30_000, runTimeoutMs: 60_000 });
  expect(await store.runCountQueued('ws_a')).toBe(2);
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('migration 0004 on a store of the previous version', () => {
  it('SQLite: rebuilds kits and idempotency keys, keeps every row and foreign keys on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'semarize-migration-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'semarize.db');
    const old = new DatabaseSync(path);
    old.exec('PRAGMA foreign_keys = ON');
    old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const [version, name, sql] of await oldMigrations('sqlite')) {
      old.exec(sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(version, name, T0);
    }
    for (const sql of OLD_ROWS) old.exec(sql.replace('TRUE', '1'));
    old.close();

    const store = openSqliteStore(path);
    try {
      await expectMigrated(store);
    } finally {
      await store.close();
    }
    const check = new DatabaseSync(path);
    try {
      expect(check.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(check.prepare('SELECT version FROM schema_migrations WHERE version = 4').get()).toBeDefined();
    } finally {
      check.close();
    }
    // Foreign keys are back on for the store's own connection: a version of no Kit is refused.
    const reopened = openSqliteStore(path);
    try {
      const kit = (await reopened.kitGetByCode('ws_a', 'A1B2C3D4'))!;
      const version = (await reopened.kitVersionGetLatest(kit.id))!;
      await expect(
        reopened.kitVersionInsert({
          ...version,
          id: '22222222-2222-4222-8222-222222222222',
          kitId: 'kit_none',
          version: 9,
        }),
      ).rejects.toThrow();
    } finally {
      await reopened.close();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)(
    'PostgreSQL: changes the constraints in place and keeps every row',
    async () => {
      const schema: TestSchema = await createTestSchema();
      cleanups.push(() => schema.drop());
      const client = new Client({ connectionString: schema.url });
      await client.connect();
      try {
        await client.query(
          'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        for (const [version, name, sql] of await oldMigrations('postgres')) {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [version, name, T0]);
        }
        for (const sql of OLD_ROWS) await client.query(sql);
      } finally {
        await client.end();
      }
      const store = openPostgresStore({
        url: schema.url,
        poolSize: 2,
        statementTimeoutMs: 30_000,
        applicationName: 'semarize-migration-test',
      });
      try {
        await expectMigrated(store);
      } finally {
        await store.close();
      }
    },
  );
});
