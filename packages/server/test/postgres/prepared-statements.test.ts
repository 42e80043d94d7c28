import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresDatabase } from '../../src/store/postgres/database.ts';
import {
  adminQuery,
  createTestSchema,
  openTestDatabase,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';

/**
 * Statements are prepared once per connection (database.ts). A newer process's migration that adds
 * a column (a rolling upgrade) makes a prepared `SELECT *` fail for good; the adapter prepares
 * its statements afresh instead of failing every call.
 */
describe.skipIf(!TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  let schema: TestSchema;
  let db: PostgresDatabase;
  beforeAll(async () => {
    schema = await createTestSchema();
    // One connection, so every call runs on the connection that prepared the statement.
    db = await openTestDatabase(schema, 1);
    await db.run('CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)');
    await db.run("INSERT INTO notes VALUES (1, 'one')");
  });
  afterAll(async () => {
    await db?.close();
    await schema?.drop();
  });

  it('are prepared once per connection, then reused', async () => {
    for (let i = 0; i < 3; i++) await db.get('SELECT body FROM notes WHERE id = $id', { id: 1 });
    const [prepared] = await db.all(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT body FROM notes%'",
    );
    expect(prepared).toEqual({ n: 1 });
  });

  it('a column added by another connection: the next call answers with it, inside and outside transactions', async () => {
    const select = 'SELECT * FROM notes WHERE id = $id';
    expect(await db.get(select, { id: 1 })).toEqual({ id: 1, body: 'one' });
    await adminQuery(`ALTER TABLE ${schema.name}.notes ADD COLUMN mood text NOT NULL DEFAULT 'calm'`);
    expect(await db.get(select, { id: 1 })).toEqual({ id: 1, body: 'one', mood: 'calm' });
    await adminQuery(`ALTER TABLE ${schema.name}.notes ADD COLUMN size integer NOT NULL DEFAULT 3`);
    const inTransaction = await db.transaction(async (tx) => tx.get(select, { id: 1 }));
    expect(inTransaction).toEqual({ id: 1, body: 'one', mood: 'calm', size: 3 });
  });

  it('on a pool, concurrent calls and a write returning * all succeed after a column is added, the write once', async () => {
    const pooled = await openTestDatabase(schema, 3);
    try {
      const select = 'SELECT * FROM notes WHERE id = $id';
      const insert = 'INSERT INTO notes (id, body) VALUES ($id, $body) RETURNING *';
      // Prepare both on every connection of the pool.
      await Promise.all([1, 1, 1, 1, 1, 1].map((id) => pooled.get(select, { id })));
      await Promise.all([10, 11, 12].map((id) => pooled.get(insert, { id, body: 'x' })));
      await adminQuery(`ALTER TABLE ${schema.name}.notes ADD COLUMN tag text`);
      const rows = await Promise.all([1, 1, 1, 1, 1, 1].map((id) => pooled.get(select, { id })));
      for (const row of rows) expect(row).toHaveProperty('tag', null);
      const inserted = await Promise.all([20, 21, 22].map((id) => pooled.get(insert, { id, body: 'y' })));
      expect(inserted.map((r) => r?.['tag'])).toEqual([null, null, null]);
      const [count] = await pooled.all("SELECT count(*)::int AS n FROM notes WHERE body = 'y'");
      expect(count).toEqual({ n: 3 });
    } finally {
      await pooled.close();
    }
  });
});
