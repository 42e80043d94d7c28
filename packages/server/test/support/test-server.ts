import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { openStore, type RunningServer, startServer } from '../../src/server.ts';
import { createClient } from './http-client.ts';
import { type Seeded, seedStore } from './seed.ts';
import { testConfig } from './test-config.ts';
import { testEngines } from './test-engines.ts';

export interface TestServer extends Seeded {
  url: string;
  dataDir: string;
  config: Readonly<Config>;
  server: RunningServer;
  /** Client authenticated with the admin live key by default. */
  api: ReturnType<typeof createClient>;
  close(): Promise<void>;
}

/** Starts the real server in this process on a fresh SQLite file, seeded like a first start. */
export async function startTestServer(
  options: { config?: Partial<Config>; clock?: Clock; webhookTimeoutMs?: number } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-test-'));
  const config = testConfig(dataDir, options.config);
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
    server,
    api: createClient(url, seeded.liveKey),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
