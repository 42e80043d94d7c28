/**
 * The first-start bootstrap against real stores (SQLite; PostgreSQL when DATABASE_URL is set): two
 * first starts at once, as two `up` processes on one PostgreSQL would make them, both succeed and
 * leave one `default` workspace whose starter Kit exists once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createIdGenerator } from '../../src/ids.ts';
import { bootstrapIfEmpty } from '../../src/keys/bootstrap.ts';
import { KIT_LIMIT_CEILINGS } from '../../src/kits/kit-limit-ceilings.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestSchema, TEST_DATABASE_URL } from '../support/postgres-schema.ts';

const KITS_DIR = join(import.meta.dirname, '../../../../kits');
const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (let cleanUp = cleanUps.pop(); cleanUp; cleanUp = cleanUps.pop()) await cleanUp();
});

const STORES: { name: string; open: () => Promise<Store> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'semarize-bootstrap-'));
      const store = openSqliteStore(join(dir, 'semarize.db'));
      cleanUps.push(() => rm(dir, { recursive: true, force: true }));
      cleanUps.push(() => store.close());
      return store;
    },
  },
];
if (TEST_DATABASE_URL) {
  STORES.push({
    name: 'postgres',
    open: async () => {
      const schema = await createTestSchema();
      const store = openPostgresStore({
        url: schema.url,
        poolSize: 8,
        statementTimeoutMs: 30_000,
        applicationName: 'semarize-bootstrap-test',
      });
      cleanUps.push(() => schema.drop());
      cleanUps.push(() => store.close());
      await store.ping();
      return store;
    },
  });
}

describe.each(STORES)('first-start bootstrap on $name', ({ open }) => {
  const depsOf = (store: Store) => ({
    store,
    clock: systemClock,
    ids: createIdGenerator(systemClock),
    engines: new Set(['metric', 'tracker', 'llm']),
    config: KIT_LIMIT_CEILINGS,
  });

  it('two first starts at once both succeed, with one workspace and each starter Kit once', async () => {
    const store = await open();
    const [a, b] = await Promise.all([
      bootstrapIfEmpty(depsOf(store), KITS_DIR),
      bootstrapIfEmpty(depsOf(store), KITS_DIR),
    ]);
    expect(a?.workspaceName).toBe('default');
    expect(b?.workspaceName).toBe('default');
    expect(await store.workspaceCount()).toBe(1);
    const workspace = await store.workspaceGetByName('default');
    // Both printed key pairs work: every key created belongs to the one workspace.
    const keys = await store.apiKeyList(null);
    expect(keys).toHaveLength(4);
    expect(new Set(keys.map((k) => k.workspaceId))).toEqual(new Set([workspace!.id]));
    const kit = await store.kitGetByCode(workspace!.id, 'A1B2C3D4');
    expect((await store.kitVersionList(kit!.id)).map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
    ]);
  });

  it('does nothing once the store has a key', async () => {
    const store = await open();
    expect(await bootstrapIfEmpty(depsOf(store), KITS_DIR)).not.toBeNull();
    expect(await bootstrapIfEmpty(depsOf(store), KITS_DIR)).toBeNull();
    expect(await store.apiKeyList(null)).toHaveLength(2);
  });
});
