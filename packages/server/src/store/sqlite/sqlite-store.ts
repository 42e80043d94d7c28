import { join } from 'node:path';
import type { Store } from '../store.ts';
import { SqliteDatabase } from './database.ts';
import { sqliteQueueStore } from './execute-runs.ts';
import { sqliteKitStore } from './kits.ts';
import { sqliteRetentionStore } from './retention.ts';
import { sqliteRunStore } from './runs.ts';
import { sqliteWebhookStore } from './webhooks.ts';
import { sqliteKeyStore } from './workspaces-and-keys.ts';

/**
 * The embedded store: one SQLite file in WAL mode. Reads are synchronous underneath (async only to
 * share the Store interface with PostgreSQL); writes are group-committed (SqliteDatabase.write).
 */
export function openSqliteStore(path: string, options: { backgroundCheckpoints?: boolean } = {}): Store {
  const db = new SqliteDatabase(path, options);
  return {
    dialect: 'sqlite',
    ping: async () => {
      db.get('SELECT 1 AS ok');
    },
    close: async () => db.close(),

    ...sqliteRunStore(db),
    ...sqliteQueueStore(db),
    ...sqliteKitStore(db),
    ...sqliteKeyStore(db),
    ...sqliteWebhookStore(db),
    ...sqliteRetentionStore(db),
  };
}

/** The embedded store's file inside a data directory. */
export function sqlitePathIn(dataDir: string): string {
  return join(dataDir, 'semarize.db');
}
