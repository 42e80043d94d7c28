import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientBase } from 'pg';

const MIGRATIONS_DIR = join(import.meta.dirname, '../migrations/postgres');

/**
 * Applies the numbered migrations that are not applied yet, in one transaction, under an advisory
 * lock keyed by the schema: several processes starting at once take turns, and the later ones find
 * nothing left to do. DDL is transactional in PostgreSQL, so a failed migration leaves no trace.
 */
export async function applyMigrations(client: ClientBase): Promise<void> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();
  await client.query('BEGIN');
  try {
    // Waiting for another process's migrations, or a long migration, is not a slow query (a
    // statement_timeout in DATABASE_URL or the role's settings would otherwise apply).
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('semarize.migrations:' || current_schema()))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) =>
        Number(r.version),
      ),
    );
    for (const file of files) {
      const version = Number(file.slice(0, 4));
      if (applied.has(version)) continue;
      await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        version,
        file,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
