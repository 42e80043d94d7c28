/**
 * The Store conformance suite's harness (ARCHITECTURE.md "Storage"): the adapters every
 * test/store/conformance/*.test.ts file runs against (SQLite in a temporary file; PostgreSQL in a
 * fresh schema when DATABASE_URL is set), the world each test starts from, and shared fixtures.
 * An adapter is correct when every file of the suite passes against it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { inputSha256 } from '../../src/canonical-json.ts';
import type { Clock } from '../../src/clock.ts';
import { createIdGenerator, type IdGenerator } from '../../src/ids.ts';
import type { KeyMode } from '../../src/keys/records.ts';
import type { BrickDefinition } from '../../src/kits/brick.ts';
import type { KitRecord, KitVersionRecord } from '../../src/kits/records.ts';
import { requestFingerprint } from '../../src/runs/fingerprint.ts';
import type { RunRecord } from '../../src/runs/records.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { ClaimedRun, IdempotencyClaim, NewRun, RunOutcome } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { WebhookScope } from '../../src/webhooks/records.ts';
import type { WorkspaceRecord } from '../../src/workspaces/records.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './postgres-schema.ts';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'semarize-store-'));
  tempDirs.push(dir);
  return dir;
}

export interface Adapter {
  name: 'sqlite' | 'postgres';
  open: () => Promise<Store>;
}

const schemas: TestSchema[] = [];

const ADAPTERS: Adapter[] = [
  { name: 'sqlite', open: async () => openSqliteStore(join(await tempDir(), 'semarize.db')) },
];
if (TEST_DATABASE_URL) {
  // A fresh schema on DATABASE_URL per test, migrated on opening, so CI holds both adapters to
  // this same suite. The pool is large enough for the concurrency tests to really overlap.
  ADAPTERS.push({
    name: 'postgres',
    open: async () => {
      const schema = await createTestSchema();
      schemas.push(schema);
      return openPostgresStore({
        url: schema.url,
        poolSize: 8,
        statementTimeoutMs: 30_000,
        applicationName: 'semarize-conformance',
      });
    },
  });
}

/** Registers, in the calling test file, the clean-up of what ADAPTERS opened (once per file). */
function cleanUpAdapters(): void {
  // Each test's schema is dropped when the test ends (its store is closed first: inner hooks run
  // first), one at a time: a DROP SCHEMA … CASCADE locks every object in the schema, and dropping
  // the whole suite's schemas at once overflowed PostgreSQL's shared lock table in CI.
  afterEach(async () => {
    for (let schema = schemas.pop(); schema; schema = schemas.pop()) await schema.drop();
  });

  afterAll(async () => {
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
}

/** What a conformance file's body is given: its adapter, and the store and world of the running test. */
export interface StoreConformance {
  adapter: Adapter;
  /** The store the running test opened; it stands for each test's own store in turn. */
  store: Store;
  /** The world built in that store. */
  w: World;
}

/**
 * One file of the conformance suite: `body` runs once per adapter in ADAPTERS, and every test
 * gets a freshly opened store with the world built in it, closed (and its schema dropped) when
 * the test ends. Call it once per file, at the top level.
 */
export function describeStoreConformance(title: string, body: (suite: StoreConformance) => void): void {
  cleanUpAdapters();
  describe(title, () => {
    describe.each(ADAPTERS)('$name store', (adapter) => {
      let store: Store | undefined;
      let world: World | undefined;
      beforeEach(async () => {
        store = await adapter.open();
        world = await buildWorld(store);
      });
      afterEach(async () => {
        await store?.close();
        store = undefined;
        world = undefined;
      });
      body({ adapter, store: currentOf('store', () => store), w: currentOf('world', () => world) });
    });
  });
}

/**
 * Stands for whatever `current()` answers at each property read, so the body can name `store` and
 * `w` once while each test has its own; outside a test there is none, and reading one throws.
 */
function currentOf<T extends object>(name: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get: (_, property) => {
      const target = current();
      if (!target) throw new Error(`there is a conformance ${name} only while a test runs`);
      return Reflect.get(target, property);
    },
  });
}

/** Fixed times: nothing in this suite reads the wall clock. */
export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
/** A queued-runs cap no test reaches, for creates that are not about the cap. */
export const NO_CAP = Number.MAX_SAFE_INTEGER;
/** Webhook endpoints per workspace and mode, for inserts that are not about the limit. */
export const MAX_ENDPOINTS = 100;
/** A workspace's live-mode webhook scope. */
export const live = (workspace: WorkspaceRecord): WebhookScope => ({
  workspaceId: workspace.id,
  mode: 'live',
});
export const LEASE_MS = 30_000;
export const RUN_TIMEOUT_MS = 600_000;
/** Delivery caps (per endpoint, per workspace of one dispatcher) no test reaches but the fairness tests. */
export const UNCAPPED = { maxPerEndpoint: 100, maxPerWorkspace: 100 };

export const talkRatio: BrickDefinition = {
  key: 'talk_ratio',
  version: 1,
  name: 'Talk ratio',
  description: 'Share of words spoken by the main speaker.',
  output: { type: 'number', min: 0, max: 100, unit: 'percent' },
  evidence: 'none',
  confidence: 'none',
  sources: ['call'],
  engine: 'metric',
  metric: { name: 'talk_ratio' },
};

export const SUCCEEDED: Extract<RunOutcome, { status: 'succeeded' }> = {
  status: 'succeeded',
  outputJson: JSON.stringify({ bricks: { talk_ratio: { value: 55 } } }),
  usageJson: JSON.stringify({ input_tokens: 0, output_tokens: 0, model_calls: 0 }),
};

export const FAILED: Extract<RunOutcome, { status: 'failed' }> = {
  status: 'failed',
  errorCode: 'model_error',
  errorMessage: 'The provider answered 400.',
  errorUserMessage: 'This analysis could not be completed.',
  usageJson: null,
};

/** Two workspaces, each with a Kit and a published Kit version, and helpers to make runs. */
export interface World {
  store: Store;
  ids: IdGenerator;
  /** Moves the id generator's clock (run ids are ULIDs, so ordering by id is ordering by time). */
  setTime(ms: number): void;
  acme: WorkspaceRecord;
  globex: WorkspaceRecord;
  acmeKit: KitRecord;
  acmeVersion: KitVersionRecord;
  acmeSecondKit: KitRecord;
  acmeSecondVersion: KitVersionRecord;
  globexVersion: KitVersionRecord;
  newRun(overrides?: Partial<NewRun>): NewRun;
  /** Creates a queued run (no idempotency key) and returns it. */
  queue(overrides?: Partial<NewRun>): Promise<RunRecord>;
  claim(workerId: string, now: number, limit?: number, leaseMs?: number): Promise<ClaimedRun[]>;
  eventId(): string;
}

export function kitVersionOf(kit: KitRecord, version: number, status: 'draft' | 'published', at: number) {
  return {
    id: crypto.randomUUID(),
    kitId: kit.id,
    kitCode: kit.code,
    workspaceId: kit.workspaceId,
    version,
    status,
    name: `${kit.name} v${version}`,
    description: 'Checks the basics of a call.',
    model: { provider: 'openai', model: 'gpt-test' },
    bricks: [talkRatio],
    createdAt: at,
    publishedAt: status === 'published' ? at : null,
  } satisfies KitVersionRecord;
}

export async function buildWorld(store: Store): Promise<World> {
  let time = T0;
  const clock: Clock = { now: () => time };
  const ids = createIdGenerator(clock);
  const acme: WorkspaceRecord = { id: `ws_${ids.ulid()}`, name: 'acme', createdAt: T0 };
  const globex: WorkspaceRecord = { id: `ws_${ids.ulid()}`, name: 'globex', createdAt: T0 };
  await store.workspaceInsert(acme);
  await store.workspaceInsert(globex);

  const addKit = async (workspace: WorkspaceRecord, code: string, name: string) => {
    const kit: KitRecord = { id: `kit_${ids.ulid()}`, workspaceId: workspace.id, code, name, createdAt: T0 };
    await store.kitInsert(kit);
    const version = kitVersionOf(kit, 1, 'published', T0);
    await store.kitVersionInsert(version);
    return { kit, version };
  };
  const a = await addKit(acme, 'KTA00001', 'Call basics');
  const a2 = await addKit(acme, 'KTA00002', 'Discovery');
  const g = await addKit(globex, 'KTG00001', 'Call basics');

  const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
    id: `run_${ids.ulid()}`,
    workspaceId: acme.id,
    runType: 'api',
    mode: 'async',
    kitCode: a.kit.code,
    kitVersionId: a.version.id,
    inputJson: JSON.stringify({ transcript: 'Rep: Hello there.\nProspect: Hi.' }),
    preparedJson: '{"prepared":true}',
    metadataJson: null,
    createdAt: time,
    requestId: 'req_test',
    ...overrides,
  });

  return {
    store,
    ids,
    setTime: (ms) => {
      time = ms;
    },
    acme,
    globex,
    acmeKit: a.kit,
    acmeVersion: a.version,
    acmeSecondKit: a2.kit,
    acmeSecondVersion: a2.version,
    globexVersion: g.version,
    newRun,
    queue: async (overrides) => {
      const run = newRun(overrides);
      const result = await store.runInsert(run, null, run.createdAt, NO_CAP);
      if (result.outcome !== 'created') throw new Error(`expected a created run, got ${result.outcome}`);
      return result.run;
    },
    claim: (workerId, now, limit = 10, leaseMs = LEASE_MS) =>
      store.runClaim({ workerId, limit, now, leaseMs, runTimeoutMs: RUN_TIMEOUT_MS }),
    eventId: () => `evt_${ids.ulid()}`,
  };
}

/** An idempotency claim fingerprinted exactly as the runs service does it. */
export function idempotencyClaim(
  key: string,
  request: { kit_code?: string; kit_version_id?: string; input?: Record<string, unknown>; type?: string },
  expiresAt: number,
  mode: KeyMode = 'live',
): IdempotencyClaim {
  const { fingerprint, fieldHashes } = requestFingerprint({
    kit_code: request.kit_code ?? 'KTA00001',
    kit_version_id: request.kit_version_id ?? null,
    inputSha256: inputSha256(request.input ?? { transcript: 'Rep: Hello there.' }),
    type: request.type ?? 'api',
  });
  return { mode, key, fingerprint, fieldHashes, expiresAt };
}

export const idsOf = (runs: readonly { id: string }[]) => runs.map((r) => r.id);
