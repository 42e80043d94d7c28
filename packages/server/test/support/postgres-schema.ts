import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresDatabase } from '../../src/store/postgres/database.ts';

/**
 * PostgreSQL for tests: DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test). Without it,
 * PostgreSQL tests are skipped. Every test gets its own schema, so tests (and parallel test files)
 * never see each other's rows or wake-ups.
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? '';

/** `SEMARIZE_TEST_STORE=postgres` runs the black-box HTTP suite on PostgreSQL instead of SQLite. */
export const HTTP_TESTS_ON_POSTGRES = process.env['SEMARIZE_TEST_STORE'] === 'postgres';

export interface TestSchema {
  name: string;
  /**
   * DATABASE_URL with `search_path` set to the schema, and the schema's name as `application_name`
   * (so a test can find, and terminate, exactly its own connections).
   */
  url: string;
  drop(): Promise<void>;
}

export async function adminQuery(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function createTestSchema(): Promise<TestSchema> {
  if (!TEST_DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  return {
    name,
    url: schemaUrl(TEST_DATABASE_URL, name),
    drop: async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    },
  };
}

/** A connection URL (possibly to another host or port) whose sessions use `schema`. */
export function schemaUrl(base: string, schema: string, applicationName = schema): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/** The adapter's database on `schema`, migrated, with `poolSize` connections (store-level tests). */
export async function openTestDatabase(schema: TestSchema, poolSize: number): Promise<PostgresDatabase> {
  // The URL's application_name (the schema's name) wins over this one.
  const db = new PostgresDatabase({
    url: schema.url,
    poolSize,
    statementTimeoutMs: 30_000,
    applicationName: schema.name,
  });
  await db.ready();
  return db;
}
