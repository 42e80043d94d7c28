import type { Store } from '../store.ts';
import { PostgresDatabase, type PostgresOptions } from './database.ts';
import { postgresQueueStore } from './execute-runs.ts';
import { postgresKitStore } from './kits.ts';
import { postgresRetentionStore } from './retention.ts';
import { postgresRunStore } from './runs.ts';
import { postgresWebhookStore } from './webhooks.ts';
import { postgresKeyStore } from './workspaces-and-keys.ts';

/**
 * The scale-out store: PostgreSQL through a node-postgres pool, shared by any number of `serve`
 * and `work` processes. Migrations are applied before the first statement.
 */
export function openPostgresStore(options: PostgresOptions): Store {
  const db = new PostgresDatabase(options);
  return {
    dialect: 'postgres',
    ping: async () => {
      await db.get('SELECT 1 AS ok');
    },
    close: () => db.close(),

    ...postgresRunStore(db),
    ...postgresQueueStore(db),
    ...postgresKitStore(db),
    ...postgresKeyStore(db),
    ...postgresWebhookStore(db),
    ...postgresRetentionStore(db),
  };
}

/** DATABASE_URL names PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
