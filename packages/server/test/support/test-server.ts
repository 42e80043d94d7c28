import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { openStore, type RunningServer, startServer } from '../../src/server.ts';
import { createClient } from './http-client.ts';
import { createTestSchema, HTTP_TESTS_ON_POSTGRES, type TestSchema } from './postgres-schema.ts';
import { type Seeded, seedStore } from './seed.ts';
import { testConfig } from './test-config.ts';
import { testEngines } from './test-engines.ts';

export interface TestServer extends Seeded {
  url: string;
  dataDir: string;
  config: Readonly<Config>;
  /** The PostgreSQL schema of this server (SEMARIZE_TEST_STORE=postgres), else null. */
  schema: TestSchema | null;
  server: RunningServer;
  /** Client authenticated with the admin live key by default. */
  api: ReturnType<typeof createClient>;
  close(): Promise<void>;
}

/**
 * Starts the real server in this process on a fresh store, seeded like a first start: a new SQLite
 * file, or a new PostgreSQL schema when SEMARIZE_TEST_STORE=postgres (or `postgres: true`).
 */
export async function startTestServer(
  options: { config?: Partial<Config>; clock?: Clock; webhookTimeoutMs?: number; postgres?: boolean } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-test-'));
  const schema = (options.postgres ?? HTTP_TESTS_ON_POSTGRES) ? await createTestSchema() : null;
  const config = testConfig(dataDir, {
    ...(schema ? { databaseUrl: schema.url } : {}),
    ...options.config,
  });
  const seedingStore = openStore(config);
  const seeded = await seedStore(seedingStore);
  await seedingStore.close();
  const server = await startServer({
    config,
    roles: { http: true, executor: true },
    extraEngines: testEngines,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webhookTimeoutMs ? { webhookTimeoutMs: options.webhookTimeoutMs } : {}),
  });
  const url = server.url!;
  return {
    ...seeded,
    url,
    dataDir,
    config,
    schema,
    server,
    api: createClient(url, seeded.liveKey),
    async close() {
      await server.close();
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
