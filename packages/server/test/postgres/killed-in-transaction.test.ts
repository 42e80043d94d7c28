import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresDatabase } from '../../src/store/postgres/database.ts';
import { StoreUnavailableError } from '../../src/store/store-unavailable.ts';
import { waitFor } from '../support/http-client.ts';
import {
  adminQuery,
  createTestSchema,
  openTestDatabase,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';

/**
 * A connection killed between two statements of a transaction (a PostgreSQL restart, an admin
 * kill) fails that transaction as "unavailable"; it used to crash the process with an unhandled
 * 'error' event, because pg-pool does not listen on a client while it is lent out.
 */
describe.skipIf(!TEST_DATABASE_URL)('a connection killed inside a transaction', () => {
  let schema: TestSchema;
  let db: PostgresDatabase;
  beforeAll(async () => {
    schema = await createTestSchema();
    db = await openTestDatabase(schema, 2);
  });
  afterAll(async () => {
    await db?.close();
    await schema?.drop();
  });

  it('rejects with StoreUnavailableError, and the pool serves the next statement', async () => {
    const failed = await db
      .transaction(async (tx) => {
        const row = await tx.get('SELECT pg_backend_pid() AS pid');
        await adminQuery('SELECT pg_terminate_backend($1)', [row!['pid']]);
        // Wait until the backend is gone: its FATAL reaches the connection while no statement runs.
        await waitFor(async () => {
          const alive = await adminQuery('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [row!['pid']]);
          return alive.length === 0;
        });
        await tx.get('SELECT 1 AS one');
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
  });
});
