/**
 * A seeded `semarize up` process (HTTP and executor in one) on either store, for the benchmarks that
 * measure one server: the embedded SQLite file, or a fresh schema of DATABASE_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../packages/server/src/server.ts';
import { type ChildServer, spawnServer } from '../packages/server/test/support/child-server.ts';
import { createTestSchema } from '../packages/server/test/support/postgres-schema.ts';
import { seedStore } from '../packages/server/test/support/seed.ts';
import { testConfig } from '../packages/server/test/support/test-config.ts';

export type BenchStore = 'sqlite' | 'postgres';

export const STORE_NAMES: Record<BenchStore, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** The stores this machine can measure: PostgreSQL only when DATABASE_URL is set. */
export const benchStores = (): BenchStore[] =>
  process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

export interface BenchServer {
  server: ChildServer;
  liveKey: string;
  /** Stops the server (SIGTERM) and removes its data. */
  close(): Promise<void>;
}

export async function startBenchServer(store: BenchStore, env: Record<string, string>): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-bench-'));
  const schema = store === 'postgres' ? await createTestSchema() : null;
  const cleanUp = async () => {
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const seeding = openStore(testConfig(dataDir, schema ? { databaseUrl: schema.url } : {}));
    const { liveKey } = await seedStore(seeding);
    await seeding.close();
    const server = await spawnServer({
      SEMARIZE_DATA_DIR: dataDir,
      ...(schema ? { DATABASE_URL: schema.url } : {}),
      SEMARIZE_RATE_LIMIT_CREATE: '0',
      SEMARIZE_RATE_LIMIT_READ: '0',
      SEMARIZE_LOG_LEVEL: 'error',
      ...env,
    });
    return {
      server,
      liveKey,
      close: async () => {
        server.child.kill('SIGTERM');
        await server.exited;
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
