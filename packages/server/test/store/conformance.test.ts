/**
 * The Store conformance suite (ARCHITECTURE.md "Storage"): every Store method and every race, run
 * against every adapter in ADAPTERS. An adapter is correct when this whole file passes against it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputSha256 } from '../../src/canonical-json.ts';
import type { Clock } from '../../src/clock.ts';
import { createIdGenerator, type IdGenerator } from '../../src/ids.ts';
import type { ApiKeyRecord, KeyMode } from '../../src/keys/records.ts';
import type { BrickDefinition } from '../../src/kits/brick.ts';
import type { KitRecord, KitVersionRecord } from '../../src/kits/records.ts';
import { requestFingerprint } from '../../src/runs/fingerprint.ts';
import type { RunRecord } from '../../src/runs/records.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { ClaimedRun, IdempotencyClaim, NewRun, RunOutcome } from '../../src/store/records.ts';
import type { RetentionPass } from '../../src/store/retention-records.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { finishedRun } from '../../src/store/terminal-transitions.ts';
import type { WebhookEndpointRecord, WebhookScope } from '../../src/webhooks/records.ts';
import type { WorkspaceRecord } from '../../src/workspaces/records.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/postgres-schema.ts';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'semarize-store-'));
  tempDirs.push(dir);
  return dir;
}

interface Adapter {
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

// Each test's schema is dropped when the test ends (its store is closed first: inner hooks run
// first), one at a time: a DROP SCHEMA … CASCADE locks every object in the schema, and dropping
// the whole suite's schemas at once overflowed PostgreSQL's shared lock table in CI.
afterEach(async () => {
  for (let schema = schemas.pop(); schema; schema = schemas.pop()) await schema.drop();
});

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Fixed times: nothing in this suite reads the wall clock. */
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
/** A queued-runs cap no test reaches, for creates that are not about the cap. */
const NO_CAP = Number.MAX_SAFE_INTEGER;
/** Webhook endpoints per workspace and mode, for inserts that are not about the limit. */
const MAX_ENDPOINTS = 100;
/** A workspace's live-mode webhook scope. */
const live = (workspace: WorkspaceRecord): WebhookScope => ({ workspaceId: workspace.id, mode: 'live' });
const LEASE_MS = 30_000;
const RUN_TIMEOUT_MS = 600_000;
/** Delivery caps (per endpoint, per workspace of one dispatcher) no test reaches but the fairness tests. */
const UNCAPPED = { maxPerEndpoint: 100, maxPerWorkspace: 100 };

const talkRatio: BrickDefinition = {
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

const SUCCEEDED: RunOutcome = {
  status: 'succeeded',
  outputJson: JSON.stringify({ bricks: { talk_ratio: { value: 55 } } }),
  usageJson: JSON.stringify({ input_tokens: 0, output_tokens: 0, model_calls: 0 }),
};

const FAILED: RunOutcome = {
  status: 'failed',
  errorCode: 'model_error',
  errorMessage: 'The provider answered 400.',
  errorUserMessage: 'This analysis could not be completed.',
  usageJson: null,
};

/** Two workspaces, each with a Kit and a published Kit version, and helpers to make runs. */
interface World {
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

function kitVersionOf(kit: KitRecord, version: number, status: 'draft' | 'published', at: number) {
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

async function buildWorld(store: Store): Promise<World> {
  let time = T0;
  const clock: Clock = { now: () => time };
  const ids = createIdGenerator(clock);
  const acme: WorkspaceRecord = { id: `ws_${ids.ulid()}`, name: 'acme', createdAt: T0 };
  const globex: WorkspaceRecord = { id: `ws_${ids.ulid()}`, name: 'globex', createdAt: T0 };
  await store.insertWorkspace(acme);
  await store.insertWorkspace(globex);

  const addKit = async (workspace: WorkspaceRecord, code: string, name: string) => {
    const kit: KitRecord = { id: `kit_${ids.ulid()}`, workspaceId: workspace.id, code, name, createdAt: T0 };
    await store.insertKit(kit);
    const version = kitVersionOf(kit, 1, 'published', T0);
    await store.insertKitVersion(version);
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
      const result = await store.createRun(run, null, run.createdAt, NO_CAP);
      if (result.outcome !== 'created') throw new Error(`expected a created run, got ${result.outcome}`);
      return result.run;
    },
    claim: (workerId, now, limit = 10, leaseMs = LEASE_MS) =>
      store.claimRuns({ workerId, limit, now, leaseMs, runTimeoutMs: RUN_TIMEOUT_MS }),
    eventId: () => `evt_${ids.ulid()}`,
  };
}

/** An idempotency claim fingerprinted exactly as the runs service does it. */
function idempotencyClaim(
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

const idsOf = (runs: readonly { id: string }[]) => runs.map((r) => r.id);

describe.each(ADAPTERS)('$name store', (adapter) => {
  let store: Store;
  let w: World;

  beforeEach(async () => {
    store = await adapter.open();
    w = await buildWorld(store);
  });

  afterEach(async () => {
    await store.close();
  });

  it('names its dialect and answers a ping', async () => {
    expect(store.dialect).toBe(adapter.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('workspaces and API keys', () => {
    const keyOf = (
      workspace: WorkspaceRecord,
      n: number,
      overrides: Partial<ApiKeyRecord> = {},
    ): ApiKeyRecord => ({
      id: `key_${workspace.name}_${n}`,
      workspaceId: workspace.id,
      keyHash: `hash_${workspace.name}_${n}`,
      hint: `smz_live_…${n}abc`,
      mode: 'live',
      role: 'admin',
      name: null,
      createdAt: T0 + n,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      ...overrides,
    });

    it('counts, inserts and finds workspaces by name', async () => {
      expect(await store.countWorkspaces()).toBe(2);
      expect(await store.findWorkspaceByName('acme')).toEqual(w.acme);
      expect(await store.findWorkspaceByName('initech')).toBeNull();
      await store.insertWorkspace({ id: 'ws_initech', name: 'initech', createdAt: T0 + 5 });
      expect(await store.countWorkspaces()).toBe(3);
      expect(await store.findWorkspaceByName('initech')).toEqual({
        id: 'ws_initech',
        name: 'initech',
        createdAt: T0 + 5,
      });
    });

    it('refuses a second workspace with the same name', async () => {
      await expect(store.insertWorkspace({ id: 'ws_dup', name: 'acme', createdAt: T0 })).rejects.toThrow();
      expect(await store.countWorkspaces()).toBe(2);
    });

    it('finds a key by its hash with every field as stored', async () => {
      const key = keyOf(w.acme, 1, { mode: 'test', role: 'runner', name: 'CI', expiresAt: T0 + 86_400_000 });
      await store.insertApiKey(key);
      expect(await store.findApiKeyByHash(key.keyHash)).toEqual(key);
      expect(await store.findApiKeyByHash('hash_unknown')).toBeNull();
    });

    it('lists keys per workspace in creation order, or all keys', async () => {
      const second = keyOf(w.acme, 2);
      const first = keyOf(w.acme, 1);
      const theirs = keyOf(w.globex, 3);
      await store.insertApiKey(second);
      await store.insertApiKey(theirs);
      await store.insertApiKey(first);
      expect(idsOf(await store.listApiKeys(w.acme.id))).toEqual([first.id, second.id]);
      expect(idsOf(await store.listApiKeys(w.globex.id))).toEqual([theirs.id]);
      expect(idsOf(await store.listApiKeys(null))).toEqual([first.id, second.id, theirs.id]);
    });

    it("records keys' last use in batches, only ever moving it forward", async () => {
      const [a, b] = [keyOf(w.acme, 1), keyOf(w.acme, 2)];
      await store.insertApiKey(a);
      await store.insertApiKey(b);
      await store.recordKeyUses([
        { keyId: a.id, at: T0 + 60_000 },
        { keyId: b.id, at: T0 + 30_000 },
        { keyId: 'key_unknown', at: T0 },
      ]);
      // An older use (another process's late batch) does not move it back.
      await store.recordKeyUses([{ keyId: a.id, at: T0 + 1_000 }]);
      await store.recordKeyUses([]);
      const used = (await store.listApiKeys(w.acme.id)).map((k) => [k.id, k.lastUsedAt]);
      expect(used).toEqual([
        [a.id, T0 + 60_000],
        [b.id, T0 + 30_000],
      ]);
      expect((await store.findApiKeyByHash(a.keyHash))!.lastUsedAt).toBe(T0 + 60_000);
    });

    it('revokes a key once: a second revoke or an unknown key returns false', async () => {
      const key = keyOf(w.acme, 1);
      await store.insertApiKey(key);
      expect(await store.revokeApiKey(key.id, T0 + 100)).toBe(true);
      expect((await store.findApiKeyByHash(key.keyHash))?.revokedAt).toBe(T0 + 100);
      expect(await store.revokeApiKey(key.id, T0 + 200)).toBe(false);
      expect((await store.findApiKeyByHash(key.keyHash))?.revokedAt).toBe(T0 + 100);
      expect(await store.revokeApiKey('key_unknown', T0 + 300)).toBe(false);
    });

    it("revokes a workspace's key unless it is the last live admin key", async () => {
      const admin = keyOf(w.acme, 1);
      const otherAdmin = keyOf(w.acme, 2);
      const runner = keyOf(w.acme, 3, { role: 'runner' });
      const testAdmin = keyOf(w.acme, 4, { mode: 'test' });
      const expiredAdmin = keyOf(w.acme, 5, { expiresAt: T0 + 50 });
      const theirs = keyOf(w.globex, 6);
      for (const k of [admin, otherAdmin, runner, testAdmin, expiredAdmin, theirs])
        await store.insertApiKey(k);

      expect(await store.revokeWorkspaceApiKey(w.acme.id, theirs.id, T0 + 100)).toEqual({
        result: 'not_found',
      });
      expect(await store.revokeWorkspaceApiKey(w.acme.id, 'key_unknown', T0 + 100)).toEqual({
        result: 'not_found',
      });
      expect(await store.revokeWorkspaceApiKey(w.acme.id, runner.id, T0 + 100)).toEqual({
        result: 'revoked',
        key: { ...runner, revokedAt: T0 + 100 },
      });
      expect(await store.revokeWorkspaceApiKey(w.acme.id, runner.id, T0 + 200)).toEqual({
        result: 'already_revoked',
        key: { ...runner, revokedAt: T0 + 100 },
      });
      expect((await store.revokeWorkspaceApiKey(w.acme.id, otherAdmin.id, T0 + 100)).result).toBe('revoked');
      // Test keys and expired keys do not count as a way to manage the workspace.
      expect(await store.revokeWorkspaceApiKey(w.acme.id, admin.id, T0 + 100)).toEqual({
        result: 'last_admin_key',
      });
      expect((await store.findApiKeyByHash(admin.keyHash))?.revokedAt).toBeNull();
      expect((await store.revokeWorkspaceApiKey(w.acme.id, testAdmin.id, T0 + 100)).result).toBe('revoked');
      expect((await store.revokeWorkspaceApiKey(w.acme.id, expiredAdmin.id, T0 + 100)).result).toBe(
        'revoked',
      );
      expect((await store.revokeWorkspaceApiKey(w.globex.id, theirs.id, T0 + 100)).result).toBe(
        'last_admin_key',
      );
    });

    it('keeps console sessions with their key, sweeps expired ones and deletes on sign-out', async () => {
      const key = keyOf(w.acme, 1, { role: 'runner' });
      await store.insertApiKey(key);
      const session = (n: number, createdAt: number) => ({
        tokenHash: `session_${n}`,
        keyId: key.id,
        csrfToken: `csrf_${n}`,
        createdAt,
        expiresAt: createdAt + 1_000,
      });
      await store.insertConsoleSession(session(1, T0));
      expect(await store.findConsoleSession('session_1')).toEqual({ session: session(1, T0), key });
      expect(await store.findConsoleSession('session_unknown')).toBeNull();
      // The key's state is read live: a revoked key shows as revoked through its session.
      await store.revokeApiKey(key.id, T0 + 10);
      expect((await store.findConsoleSession('session_1'))?.key.revokedAt).toBe(T0 + 10);
      // A later sign-in sweeps sessions that expired by then.
      await store.insertConsoleSession(session(2, T0 + 1_000));
      expect(await store.findConsoleSession('session_1')).toBeNull();
      await store.deleteConsoleSession('session_2');
      expect(await store.findConsoleSession('session_2')).toBeNull();
    });

    it('lets only one of two admins revoking each other at once win', async () => {
      const first = keyOf(w.acme, 1);
      const second = keyOf(w.acme, 2);
      await store.insertApiKey(first);
      await store.insertApiKey(second);
      const outcomes = await Promise.all([
        store.revokeWorkspaceApiKey(w.acme.id, first.id, T0 + 100),
        store.revokeWorkspaceApiKey(w.acme.id, second.id, T0 + 100),
      ]);
      expect(outcomes.map((o) => o.result).sort()).toEqual(['last_admin_key', 'revoked']);
    });
  });

  describe('Bricks and Kits', () => {
    it('keeps every Brick version and returns the latest, per workspace', async () => {
      await store.insertBrickVersion({
        id: 'brv_1',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 1,
        definition: talkRatio,
        createdAt: T0,
      });
      const v2 = { ...talkRatio, version: 2, description: 'Reworded.' };
      await store.insertBrickVersion({
        id: 'brv_2',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 2,
        definition: v2,
        createdAt: T0 + 1,
      });
      expect(await store.latestBrickVersion(w.acme.id, 'talk_ratio')).toEqual({
        id: 'brv_2',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 2,
        definition: v2,
        createdAt: T0 + 1,
      });
      expect(await store.latestBrickVersion(w.globex.id, 'talk_ratio')).toBeNull();
      expect(await store.latestBrickVersion(w.acme.id, 'question_count')).toBeNull();
    });

    it('refuses a Brick version number that already exists', async () => {
      const record = {
        id: 'brv_1',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 1,
        definition: talkRatio,
        createdAt: T0,
      };
      await store.insertBrickVersion(record);
      await expect(store.insertBrickVersion({ ...record, id: 'brv_again' })).rejects.toThrow();
    });

    it('finds Kits by code and by name only in their own workspace; codes are unique per workspace', async () => {
      expect(await store.findKitByCode(w.acme.id, 'KTA00001')).toEqual(w.acmeKit);
      expect(await store.findKitByCode(w.globex.id, 'KTA00001')).toBeNull();
      expect(await store.kitCodeExists(w.acme.id, 'KTA00001')).toBe(true);
      // Another workspace's code is not observable.
      expect(await store.kitCodeExists(w.acme.id, 'KTG00001')).toBe(false);
      expect(await store.kitCodeExists(w.globex.id, 'KTG00001')).toBe(true);
      expect(await store.kitCodeExists(w.acme.id, 'ZZZZZZZZ')).toBe(false);
      // The same code in another workspace is a different Kit…
      const theirs: KitRecord = {
        id: 'kit_theirs',
        workspaceId: w.globex.id,
        code: 'KTA00001',
        name: 'Theirs',
        createdAt: T0,
      };
      await store.insertKit(theirs);
      expect(await store.findKitByCode(w.globex.id, 'KTA00001')).toEqual(theirs);
      expect(await store.findKitByCode(w.acme.id, 'KTA00001')).toEqual(w.acmeKit);
      // …but not twice in one workspace.
      await expect(
        store.insertKit({
          id: 'kit_clash',
          workspaceId: w.acme.id,
          code: 'KTA00001',
          name: 'Clash',
          createdAt: T0,
        }),
      ).rejects.toThrow();

      expect(await store.findKitByName(w.acme.id, 'Discovery')).toEqual(w.acmeSecondKit);
      expect(await store.findKitByName(w.globex.id, 'Discovery')).toBeNull();
      // Two Kits with one name: the oldest wins.
      await store.insertKit({
        id: 'kit_newer',
        workspaceId: w.acme.id,
        code: 'KTA00009',
        name: 'Discovery',
        createdAt: T0 + 10,
      });
      expect((await store.findKitByName(w.acme.id, 'Discovery'))?.id).toBe(w.acmeSecondKit.id);
    });

    it('publishes only drafts: the second publish returns false and keeps the first time', async () => {
      const draft = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      await store.insertKitVersion(draft);
      expect(await store.latestKitVersion(w.acmeKit.id)).toEqual(draft);
      expect((await store.latestPublishedKitVersion(w.acmeKit.id))?.id).toBe(w.acmeVersion.id);

      expect(await store.publishKitVersion(draft.id, T0 + 20)).toBe(true);
      expect(await store.latestPublishedKitVersion(w.acmeKit.id)).toEqual({
        ...draft,
        status: 'published',
        publishedAt: T0 + 20,
      });
      expect(await store.publishKitVersion(draft.id, T0 + 30)).toBe(false);
      expect((await store.getKitVersion(draft.id))?.publishedAt).toBe(T0 + 20);
      expect(await store.publishKitVersion(crypto.randomUUID(), T0 + 30)).toBe(false);
    });

    it('latestPublishedKitVersion ignores newer drafts, and is null with none published', async () => {
      await store.insertKitVersion(kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10));
      expect((await store.latestKitVersion(w.acmeKit.id))?.version).toBe(2);
      expect((await store.latestPublishedKitVersion(w.acmeKit.id))?.version).toBe(1);

      const kit: KitRecord = {
        id: 'kit_drafts',
        workspaceId: w.acme.id,
        code: 'KTA00003',
        name: 'Drafts',
        createdAt: T0,
      };
      await store.insertKit(kit);
      await store.insertKitVersion(kitVersionOf(kit, 1, 'draft', T0));
      expect(await store.latestPublishedKitVersion(kit.id)).toBeNull();
      expect(await store.latestKitVersion('kit_unknown')).toBeNull();
    });

    it('publishedKitVersionId: the latest published version by code, scoped to the workspace', async () => {
      expect(await store.publishedKitVersionId(w.acme.id, w.acmeKit.code)).toEqual({
        versionId: w.acmeVersion.id,
      });
      const draft = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      await store.insertKitVersion(draft);
      expect(await store.publishedKitVersionId(w.acme.id, w.acmeKit.code)).toEqual({
        versionId: w.acmeVersion.id,
      });
      await store.publishKitVersion(draft.id, T0 + 20);
      expect(await store.publishedKitVersionId(w.acme.id, w.acmeKit.code)).toEqual({ versionId: draft.id });

      expect(await store.publishedKitVersionId(w.globex.id, w.acmeKit.code)).toBeNull();
      expect(await store.publishedKitVersionId(w.acme.id, 'ZZZZ9999')).toBeNull();
      const kit: KitRecord = {
        id: 'kit_unpublished',
        workspaceId: w.acme.id,
        code: 'KTA00004',
        name: 'Unpublished',
        createdAt: T0,
      };
      await store.insertKit(kit);
      expect(await store.publishedKitVersionId(w.acme.id, kit.code)).toEqual({ versionId: null });
      await store.insertKitVersion(kitVersionOf(kit, 1, 'draft', T0));
      expect(await store.publishedKitVersionId(w.acme.id, kit.code)).toEqual({ versionId: null });
    });

    it('findKitVersion is scoped to the workspace; getKitVersion is not', async () => {
      expect(await store.findKitVersion(w.acme.id, w.acmeVersion.id)).toEqual(w.acmeVersion);
      expect(await store.findKitVersion(w.globex.id, w.acmeVersion.id)).toBeNull();
      expect(await store.getKitVersion(w.acmeVersion.id)).toEqual(w.acmeVersion);
      expect(await store.getKitVersion(w.globexVersion.id)).toEqual(w.globexVersion);
      expect(await store.getKitVersion(crypto.randomUUID())).toBeNull();
    });

    it('refuses a Kit version number that already exists', async () => {
      await expect(store.insertKitVersion(kitVersionOf(w.acmeKit, 1, 'draft', T0))).rejects.toThrow();
    });
  });

  describe('Brick and Kit management', () => {
    const brickVersion = (workspace: WorkspaceRecord, key: string, version: number, at = T0) => ({
      id: `brv_${workspace.name}_${key}_${version}`,
      workspaceId: workspace.id,
      key,
      version,
      definition: { ...talkRatio, key, version, name: `${key} v${version}` },
      createdAt: at,
    });

    it('insertBrickVersionIfNew writes a new version, and refuses a taken one without changing it', async () => {
      const first = brickVersion(w.acme, 'talk_ratio', 1);
      expect(await store.insertBrickVersionIfNew(first)).toBe(true);
      const clash = { ...brickVersion(w.acme, 'talk_ratio', 1, T0 + 5), id: 'brv_clash' };
      clash.definition.name = 'Changed';
      expect(await store.insertBrickVersionIfNew(clash)).toBe(false);
      expect(await store.findBrickVersion(w.acme.id, 'talk_ratio', 1)).toEqual(first);
      // The same key and version in another workspace is a different Brick.
      expect(await store.insertBrickVersionIfNew(brickVersion(w.globex, 'talk_ratio', 1))).toBe(true);
    });

    it('findBrickVersion and listBrickVersions see only their workspace, newest first', async () => {
      for (const version of [1, 2, 3])
        await store.insertBrickVersion(brickVersion(w.acme, 'pricing', version));
      await store.insertBrickVersion(brickVersion(w.globex, 'pricing', 1));
      expect((await store.findBrickVersion(w.acme.id, 'pricing', 2))?.definition.name).toBe('pricing v2');
      expect(await store.findBrickVersion(w.acme.id, 'pricing', 4)).toBeNull();
      expect(await store.findBrickVersion(w.globex.id, 'pricing', 2)).toBeNull();
      expect((await store.listBrickVersions(w.acme.id, 'pricing')).map((b) => b.version)).toEqual([3, 2, 1]);
      expect((await store.listBrickVersions(w.globex.id, 'pricing')).map((b) => b.id)).toEqual([
        'brv_globex_pricing_1',
      ]);
      expect(await store.listBrickVersions(w.acme.id, 'unknown')).toEqual([]);
    });

    it('listLatestBrickVersions gives the latest version of each Brick of the workspace, by key', async () => {
      await store.insertBrickVersion(brickVersion(w.acme, 'zeta', 1));
      await store.insertBrickVersion(brickVersion(w.acme, 'alpha', 1));
      await store.insertBrickVersion(brickVersion(w.acme, 'alpha', 2));
      await store.insertBrickVersion(brickVersion(w.globex, 'beta', 7));
      const latest = await store.listLatestBrickVersions(w.acme.id);
      expect(latest.map((b) => [b.key, b.version])).toEqual([
        ['alpha', 2],
        ['zeta', 1],
      ]);
      expect(latest[0]).toEqual(brickVersion(w.acme, 'alpha', 2));
      expect((await store.listLatestBrickVersions(w.globex.id)).map((b) => b.key)).toEqual(['beta']);
    });

    it('listKits lists the workspace Kits newest first', async () => {
      const newer: KitRecord = {
        id: `kit_${w.ids.ulid()}`,
        workspaceId: w.acme.id,
        code: 'KTA00005',
        name: 'Newer',
        createdAt: T0 + 50,
      };
      await store.insertKit(newer);
      expect((await store.listKits(w.acme.id)).map((k) => k.code)).toEqual([
        'KTA00005',
        'KTA00002',
        'KTA00001',
      ]);
      expect(await store.listKits(w.globex.id)).toEqual([
        {
          id: expect.any(String),
          workspaceId: w.globex.id,
          code: 'KTG00001',
          name: 'Call basics',
          createdAt: T0,
        },
      ]);
    });

    it('insertKitWithFirstVersion writes both, or nothing when the code is taken in the workspace', async () => {
      const kit: KitRecord = {
        id: 'kit_new',
        workspaceId: w.acme.id,
        code: 'KTA00007',
        name: 'New',
        createdAt: T0 + 1,
      };
      const version = kitVersionOf(kit, 1, 'draft', T0 + 1);
      expect(await store.insertKitWithFirstVersion(kit, version)).toBe(true);
      expect(await store.findKitByCode(w.acme.id, 'KTA00007')).toEqual(kit);
      expect(await store.findKitVersion(w.acme.id, version.id)).toEqual(version);

      // KTG00001 belongs to globex: acme may have a Kit of that code too.
      const same: KitRecord = { ...kit, id: 'kit_same_code', code: 'KTG00001' };
      expect(await store.insertKitWithFirstVersion(same, kitVersionOf(same, 1, 'draft', T0 + 2))).toBe(true);
      expect(await store.findKitByCode(w.acme.id, 'KTG00001')).toEqual(same);

      // KTA00001 is acme's own: a second acme Kit cannot take it, and nothing is left behind.
      const clash: KitRecord = { ...kit, id: 'kit_clash', code: 'KTA00001' };
      const clashVersion = kitVersionOf(clash, 1, 'draft', T0 + 2);
      expect(await store.insertKitWithFirstVersion(clash, clashVersion)).toBe(false);
      expect(await store.getKitVersion(clashVersion.id)).toBeNull();
      expect(await store.listKitVersions('kit_clash')).toEqual([]);
      expect((await store.listKits(w.acme.id)).map((k) => k.id)).not.toContain('kit_clash');
    });

    it('insertKitVersionIfNew refuses a taken version number; listKitVersions is newest first', async () => {
      const second = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      expect(await store.insertKitVersionIfNew(second)).toBe(true);
      const clash = { ...kitVersionOf(w.acmeKit, 2, 'draft', T0 + 20), name: 'Clash' };
      expect(await store.insertKitVersionIfNew(clash)).toBe(false);
      expect(await store.getKitVersion(clash.id)).toBeNull();
      expect(await store.listKitVersions(w.acmeKit.id)).toEqual([second, w.acmeVersion]);
      expect(await store.listKitVersions('kit_unknown')).toEqual([]);
    });

    it('concurrent writers of one next version number: exactly one wins', async () => {
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        ...kitVersionOf(w.acmeKit, 2, 'draft', T0 + i),
        name: `attempt ${i}`,
      }));
      const results = await Promise.all(attempts.map((v) => store.insertKitVersionIfNew(v)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.listKitVersions(w.acmeKit.id)).map((v) => v.version)).toEqual([2, 1]);
    });
  });

  describe('createRun and idempotency', () => {
    it('creates a queued run that only its workspace can read', async () => {
      const run = w.newRun({ metadataJson: JSON.stringify({ deal: 42 }), mode: 'sync' });
      const result = await store.createRun(run, null, T0, NO_CAP);
      const expected: RunRecord = {
        id: run.id,
        workspaceId: w.acme.id,
        status: 'queued',
        runType: 'api',
        mode: 'sync',
        kitCode: 'KTA00001',
        kitVersionId: w.acmeVersion.id,
        createdAt: T0,
        startedAt: null,
        completedAt: null,
        deadlineAt: null,
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
        metadataJson: JSON.stringify({ deal: 42 }),
        outputJson: null,
        errorCode: null,
        errorMessage: null,
        errorUserMessage: null,
        usageJson: null,
        requestId: 'req_test',
      };
      expect(result).toEqual({ outcome: 'created', run: expected });
      expect(await store.getRun(w.acme.id, run.id)).toEqual(expected);
      expect(await store.getRun(w.globex.id, run.id)).toBeNull();
      expect(await store.getRun(w.acme.id, 'run_unknown')).toBeNull();
    });

    it('records the idempotency key with the run, until it expires', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 1_000);
      const run = w.newRun();
      await store.createRun(run, claim, T0, NO_CAP);
      expect(await store.findIdempotencyKey(w.acme.id, 'live', 'order-1', T0 + 999)).toEqual({
        workspaceId: w.acme.id,
        mode: 'live',
        key: 'order-1',
        fingerprint: claim.fingerprint,
        fieldHashes: claim.fieldHashes,
        runId: run.id,
        expiresAt: T0 + 1_000,
      });
      expect(await store.findIdempotencyKey(w.acme.id, 'live', 'order-1', T0 + 1_000)).toBeNull();
      expect(await store.findIdempotencyKey(w.globex.id, 'live', 'order-1', T0)).toBeNull();
    });

    it('same key and fingerprint: replays the original run in its current state', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      const first = w.newRun();
      expect((await store.createRun(first, claim, T0, NO_CAP)).outcome).toBe('created');
      await w.claim('worker-a', T0 + 10);

      const retry = w.newRun({ createdAt: T0 + 20 });
      const replay = await store.createRun(retry, claim, T0 + 20, NO_CAP);
      expect(replay.outcome).toBe('replayed');
      if (replay.outcome !== 'replayed') return;
      expect(replay.run.id).toBe(first.id);
      expect(replay.run.status).toBe('running');
      expect(await store.getRun(w.acme.id, retry.id)).toBeNull();
      expect(idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual([
        first.id,
      ]);
    });

    it('same key, different request: a conflict naming the differing fields, and nothing stored', async () => {
      const first = w.newRun();
      await store.createRun(first, idempotencyClaim('order-1', {}, T0 + 60_000), T0, NO_CAP);

      const other = w.newRun();
      const changedInput = idempotencyClaim('order-1', { input: { transcript: 'Rep: Bye.' } }, T0 + 60_000);
      expect(await store.createRun(other, changedInput, T0 + 1, NO_CAP)).toEqual({
        outcome: 'conflict',
        fields: ['input'],
        runId: first.id,
      });

      const changedKitAndType = idempotencyClaim(
        'order-1',
        { kit_code: 'KTA00002', type: 'sandbox' },
        T0 + 60_000,
      );
      const result = await store.createRun(other, changedKitAndType, T0 + 2, NO_CAP);
      expect(result.outcome).toBe('conflict');
      if (result.outcome !== 'conflict') return;
      expect([...result.fields].sort()).toEqual(['kit_code', 'type']);

      expect(await store.getRun(w.acme.id, other.id)).toBeNull();
      expect((await store.findIdempotencyKey(w.acme.id, 'live', 'order-1', T0 + 3))?.runId).toBe(first.id);
    });

    it('keys are scoped to the workspace', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      await store.createRun(w.newRun(), claim, T0, NO_CAP);
      const theirs = w.newRun({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      const result = await store.createRun(theirs, claim, T0 + 1, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.findIdempotencyKey(w.globex.id, 'live', 'order-1', T0 + 2))?.runId).toBe(theirs.id);
    });

    it('keys are scoped to the mode: a test key and a live key never meet', async () => {
      const liveRun = w.newRun();
      await store.createRun(liveRun, idempotencyClaim('order-1', {}, T0 + 60_000, 'live'), T0, NO_CAP);
      // The same key and request from a test key is its own run, not a replay (and not a conflict).
      const testRun = w.newRun({ runType: 'sandbox' });
      const claim = idempotencyClaim('order-1', { type: 'sandbox' }, T0 + 60_000, 'test');
      const result = await store.createRun(testRun, claim, T0 + 1, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.findIdempotencyKey(w.acme.id, 'test', 'order-1', T0 + 2))?.runId).toBe(testRun.id);
      expect((await store.findIdempotencyKey(w.acme.id, 'live', 'order-1', T0 + 2))?.runId).toBe(liveRun.id);
    });

    it('an expired key may be reused: a new run, and the key now names it', async () => {
      const original = w.newRun();
      await store.createRun(original, idempotencyClaim('order-1', {}, T0 + 1_000), T0, NO_CAP);

      // expiresAt <= now: expired, even with a different request.
      const reuse = w.newRun({ createdAt: T0 + 1_000 });
      const differentRequest = idempotencyClaim(
        'order-1',
        { input: { transcript: 'Rep: New call.' } },
        T0 + 5_000,
      );
      const result = await store.createRun(reuse, differentRequest, T0 + 1_000, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.findIdempotencyKey(w.acme.id, 'live', 'order-1', T0 + 1_001))?.runId).toBe(
        reuse.id,
      );
      // The original run is still there; only the key moved on.
      expect((await store.getRun(w.acme.id, original.id))?.status).toBe('queued');

      // The same request after the key expired again is also a new run, not a replay.
      const again = w.newRun({ createdAt: T0 + 5_000 });
      expect((await store.createRun(again, differentRequest, T0 + 5_000, NO_CAP)).outcome).toBe('created');
    });

    it('50 concurrent identical requests with one key coalesce into one run', async () => {
      const claim = idempotencyClaim('burst', {}, T0 + 60_000);
      const attempts = Array.from({ length: 50 }, () => w.newRun());
      const results = await Promise.all(attempts.map((run) => store.createRun(run, claim, T0, NO_CAP)));
      const created = results.filter((r) => r.outcome === 'created');
      const replayed = results.filter((r) => r.outcome === 'replayed');
      expect(created).toHaveLength(1);
      expect(replayed).toHaveLength(49);
      const runId = created[0]?.outcome === 'created' ? created[0].run.id : '';
      for (const r of replayed) if (r.outcome === 'replayed') expect(r.run.id).toBe(runId);
      expect(idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 100, runTypes: ['api'] }))).toEqual([
        runId,
      ]);
    });

    it('concurrent different requests with one key: one run, every other request a conflict', async () => {
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        run: w.newRun(),
        claim: idempotencyClaim('contested', { input: { transcript: `Rep: Call ${i}.` } }, T0 + 60_000),
      }));
      const results = await Promise.all(attempts.map((a) => store.createRun(a.run, a.claim, T0, NO_CAP)));
      const created = results.filter((r) => r.outcome === 'created');
      expect(created).toHaveLength(1);
      const runId = created[0]?.outcome === 'created' ? created[0].run.id : '';
      for (const r of results.filter((x) => x.outcome !== 'created')) {
        expect(r).toEqual({ outcome: 'conflict', fields: ['input'], runId });
      }
      expect(await store.countQueuedRuns(w.acme.id)).toBe(1);
    });
  });

  describe('listRuns', () => {
    /** Five api runs a second apart, one sandbox run, one run of another Kit, one in globex. */
    async function fiveRuns() {
      const runs: RunRecord[] = [];
      for (let i = 1; i <= 5; i++) {
        w.setTime(T0 + i * 1_000);
        runs.push(await w.queue());
      }
      return runs;
    }

    it('lists newest first, returning up to limit + 1 rows', async () => {
      const runs = await fiveRuns();
      const newestFirst = idsOf(runs).reverse();
      expect(idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual(
        newestFirst,
      );
      expect(idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 2, runTypes: ['api'] }))).toEqual(
        newestFirst.slice(0, 3),
      );
      expect(await store.listRuns({ workspaceId: w.acme.id, limit: 5, runTypes: ['api'] })).toHaveLength(5);
    });

    it('orders by id even when runs share a millisecond', async () => {
      const runs = [await w.queue(), await w.queue(), await w.queue()];
      expect(idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual(
        idsOf(runs).reverse(),
      );
    });

    it('pages with beforeId through every run exactly once', async () => {
      const runs = await fiveRuns();
      const seen: string[] = [];
      let beforeId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await store.listRuns({
          workspaceId: w.acme.id,
          limit: 2,
          runTypes: ['api'],
          ...(beforeId ? { beforeId } : {}),
        });
        const pageRows = rows.slice(0, 2);
        seen.push(...idsOf(pageRows));
        if (rows.length <= 2) break;
        beforeId = pageRows[pageRows.length - 1]?.id;
      }
      expect(seen).toEqual(idsOf(runs).reverse());
    });

    it('filters by status, Kit code, run types and creation time', async () => {
      const runs = await fiveRuns();
      const [r1, r2, r3, r4, r5] = runs.map((r) => r.id);
      w.setTime(T0 + 6_000);
      const sandbox = await w.queue({ runType: 'sandbox' });
      const discovery = await w.queue({ kitCode: 'KTA00002', kitVersionId: w.acmeSecondVersion.id });
      await store.cancelRun(w.acme.id, r2!, T0 + 7_000, w.eventId());

      const list = (q: Partial<Parameters<Store['listRuns']>[0]>) =>
        store.listRuns({ workspaceId: w.acme.id, limit: 50, runTypes: ['api'], ...q }).then(idsOf);

      expect(await list({ status: 'cancelled' })).toEqual([r2]);
      expect(await list({ status: 'queued' })).toEqual([discovery.id, r5, r4, r3, r1]);
      expect(await list({ kitCode: 'KTA00002' })).toEqual([discovery.id]);
      expect(await list({ runTypes: ['sandbox'] })).toEqual([sandbox.id]);
      expect(await list({ runTypes: ['api', 'sandbox'] })).toEqual([
        discovery.id,
        sandbox.id,
        r5,
        r4,
        r3,
        r2,
        r1,
      ]);
      expect(await list({ createdAfter: T0 + 2_500 })).toEqual([discovery.id, r5, r4, r3]);
      expect(await list({ createdBefore: T0 + 2_500 })).toEqual([r2, r1]);
      expect(await list({ createdAfter: T0 + 1_500, createdBefore: T0 + 4_500 })).toEqual([r4, r3, r2]);
      expect(await list({ status: 'queued', createdBefore: T0 + 3_500, beforeId: r3 })).toEqual([r1]);
    });

    it('lists only the asking workspace', async () => {
      const mine = await w.queue();
      const theirs = await w.queue({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect(
        idsOf(await store.listRuns({ workspaceId: w.acme.id, limit: 10, runTypes: ['api', 'sandbox'] })),
      ).toEqual([mine.id]);
      expect(
        idsOf(await store.listRuns({ workspaceId: w.globex.id, limit: 10, runTypes: ['api', 'sandbox'] })),
      ).toEqual([theirs.id]);
    });
  });

  describe('claimRuns', () => {
    it('claims the oldest queued runs first, up to the limit, with a lease and a deadline', async () => {
      const runs: RunRecord[] = [];
      for (let i = 0; i < 3; i++) {
        w.setTime(T0 + i);
        // Stored before inputs were prepared at creation: the claim gives the input to prepare.
        runs.push(
          await w.queue({ inputJson: JSON.stringify({ transcript: `Rep: Call ${i}.` }), preparedJson: null }),
        );
      }
      const now = T0 + 10_000;
      const claimed = await w.claim('worker-a', now, 2);
      expect(idsOf(claimed).sort()).toEqual(idsOf(runs.slice(0, 2)));
      for (const run of claimed) {
        expect(run).toMatchObject({
          status: 'running',
          attempt: 1,
          workerId: 'worker-a',
          leaseExpiresAt: now + LEASE_MS,
          startedAt: now,
          deadlineAt: now + RUN_TIMEOUT_MS,
          completedAt: null,
        });
        const index = runs.findIndex((r) => r.id === run.id);
        expect(JSON.parse(run.inputJson!)).toEqual({ transcript: `Rep: Call ${index}.` });
        expect(run.preparedJson).toBeNull();
        const { inputJson: _input, preparedJson: _prepared, ...stored } = run;
        expect(await store.getRun(w.acme.id, run.id)).toEqual(stored);
      }
      expect((await store.getRun(w.acme.id, runs[2]!.id))?.status).toBe('queued');
      expect(idsOf(await w.claim('worker-a', now + 1, 5))).toEqual([runs[2]!.id]);
      expect(await w.claim('worker-a', now + 2, 5)).toEqual([]);
    });

    it('takes queued runs from every workspace, but never running, finished or cancelled ones', async () => {
      const cancelled = await w.queue();
      await store.cancelRun(w.acme.id, cancelled.id, T0, w.eventId());
      const running = await w.queue();
      await w.claim('worker-a', T0 + 1, 1);
      const theirs = await w.queue({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect(idsOf(await w.claim('worker-b', T0 + 2, 10))).toEqual([theirs.id]);
      expect((await store.getRun(w.acme.id, running.id))?.workerId).toBe('worker-a');
    });

    it('a second attempt keeps the first start and the deadline, with a fresh lease', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 100, 1, 1_000);
      await store.recoverExpiredLeases({ now: T0 + 2_000, maxAttempts: 3, newEventId: () => w.eventId() });
      const [again] = await w.claim('worker-b', T0 + 3_000, 1, 1_000);
      expect(again).toMatchObject({
        id: run.id,
        attempt: 2,
        workerId: 'worker-b',
        startedAt: T0 + 100,
        deadlineAt: T0 + 100 + RUN_TIMEOUT_MS,
        leaseExpiresAt: T0 + 4_000,
      });
    });

    it('two concurrent claimers never get the same run', async () => {
      const queued = new Set<string>();
      for (let i = 0; i < 20; i++) queued.add((await w.queue()).id);
      const [a, b] = await Promise.all([w.claim('worker-a', T0 + 1, 15), w.claim('worker-b', T0 + 1, 15)]);
      const all = [...idsOf(a!), ...idsOf(b!)];
      expect(new Set(all).size).toBe(all.length);
      // Every run claimed once; how the two split them depends on timing (SKIP LOCKED interleaves).
      expect(new Set(all)).toEqual(queued);
    });

    it('many concurrent claimers split the queue without overlap', async () => {
      for (let i = 0; i < 30; i++) await w.queue();
      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, i) => w.claim(`worker-${i}`, T0 + 1, 4)),
      );
      const all = batches.flatMap(idsOf);
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(4);
      for (const [i, batch] of batches.entries()) {
        for (const run of batch)
          expect((await store.getRun(w.acme.id, run.id))?.workerId).toBe(`worker-${i}`);
      }
    });
  });

  describe('renewLeases', () => {
    it('extends only the leases this worker still holds at this attempt', async () => {
      const r1 = await w.queue();
      const r2 = await w.queue();
      const r3 = await w.queue();
      await w.claim('worker-a', T0, 2);
      await w.claim('worker-b', T0, 1);

      const renewed = await store.renewLeases({
        workerId: 'worker-a',
        runs: [
          { runId: r1.id, attempt: 1 },
          { runId: r2.id, attempt: 2 },
          { runId: r3.id, attempt: 1 },
          { runId: 'run_unknown', attempt: 1 },
        ],
        now: T0 + 10_000,
        leaseMs: LEASE_MS,
      });
      expect(renewed).toEqual([r1.id]);
      expect((await store.getRun(w.acme.id, r1.id))?.leaseExpiresAt).toBe(T0 + 10_000 + LEASE_MS);
      expect((await store.getRun(w.acme.id, r2.id))?.leaseExpiresAt).toBe(T0 + LEASE_MS);
      expect((await store.getRun(w.acme.id, r3.id))?.leaseExpiresAt).toBe(T0 + LEASE_MS);
    });

    it('does not renew a run that finished or was cancelled', async () => {
      const done = await w.queue();
      const cancelled = await w.queue();
      await w.claim('worker-a', T0, 2);
      await store.finishRun({
        runId: done.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 1,
        outcome: SUCCEEDED,
        eventId: w.eventId(),
      });
      await store.cancelRun(w.acme.id, cancelled.id, T0 + 1, w.eventId());
      const renewed = await store.renewLeases({
        workerId: 'worker-a',
        runs: [
          { runId: done.id, attempt: 1 },
          { runId: cancelled.id, attempt: 1 },
        ],
        now: T0 + 2,
        leaseMs: LEASE_MS,
      });
      expect(renewed).toEqual([]);
      expect((await store.getRun(w.acme.id, done.id))?.leaseExpiresAt).toBeNull();
      expect((await store.getRun(w.acme.id, cancelled.id))?.leaseExpiresAt).toBeNull();
    });
  });

  describe('finishRun', () => {
    async function running() {
      await w.queue();
      const [claimed] = await w.claim('worker-a', T0 + 100, 1);
      if (!claimed) throw new Error('nothing claimed');
      return claimed;
    }

    it('leaves the run exactly as finishedRun derives it (what the executor hands to local waiters)', async () => {
      for (const outcome of [SUCCEEDED, FAILED]) {
        const run = await running();
        const finish = { runId: run.id, workerId: 'worker-a', attempt: 1, now: T0 + 700, outcome };
        expect(await store.finishRun({ ...finish, eventId: w.eventId() })).toBe(true);
        expect(await store.getRun(w.acme.id, run.id)).toEqual(finishedRun(run, outcome, T0 + 700));
      }
    });

    it('succeeded: stores the output and usage and writes one run.succeeded event', async () => {
      const run = await running();
      const eventId = w.eventId();
      const finish = {
        runId: run.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 600,
        outcome: SUCCEEDED,
        eventId,
      };
      expect(await store.finishRun(finish)).toBe(true);
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'succeeded',
        completedAt: T0 + 600,
        startedAt: T0 + 100,
        leaseExpiresAt: null,
        outputJson: SUCCEEDED.outputJson,
        usageJson: SUCCEEDED.usageJson,
        errorCode: null,
        errorMessage: null,
        errorUserMessage: null,
      });
      expect(await store.listRunEvents(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.succeeded', createdAt: T0 + 600 },
      ]);
    });

    it('failed: stores the error and writes one run.failed event', async () => {
      const run = await running();
      const eventId = w.eventId();
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 700,
          outcome: FAILED,
          eventId,
        }),
      ).toBe(true);
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'failed',
        completedAt: T0 + 700,
        leaseExpiresAt: null,
        outputJson: null,
        errorCode: 'model_error',
        errorMessage: 'The provider answered 400.',
        errorUserMessage: 'This analysis could not be completed.',
        usageJson: null,
      });
      expect(await store.listRunEvents(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.failed', createdAt: T0 + 700 },
      ]);
    });

    it('a stale completion (wrong attempt or wrong worker) changes nothing', async () => {
      const run = await running();
      const before = await store.getRun(w.acme.id, run.id);
      const base = { runId: run.id, now: T0 + 600, outcome: SUCCEEDED };
      expect(await store.finishRun({ ...base, workerId: 'worker-a', attempt: 2, eventId: w.eventId() })).toBe(
        false,
      );
      expect(await store.finishRun({ ...base, workerId: 'worker-a', attempt: 0, eventId: w.eventId() })).toBe(
        false,
      );
      expect(await store.finishRun({ ...base, workerId: 'worker-b', attempt: 1, eventId: w.eventId() })).toBe(
        false,
      );
      expect(await store.getRun(w.acme.id, run.id)).toEqual(before);
      expect(await store.listRunEvents(run.id)).toEqual([]);
    });

    it('a queued run that was never claimed cannot be finished', async () => {
      const run = await w.queue();
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 0,
          now: T0,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('queued');
    });

    it('finishing twice: the second returns false and the run keeps its first outcome and one event', async () => {
      const run = await running();
      const first = w.eventId();
      const base = { runId: run.id, workerId: 'worker-a', attempt: 1 };
      expect(await store.finishRun({ ...base, now: T0 + 600, outcome: SUCCEEDED, eventId: first })).toBe(
        true,
      );
      expect(await store.finishRun({ ...base, now: T0 + 700, outcome: FAILED, eventId: w.eventId() })).toBe(
        false,
      );
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'succeeded',
        completedAt: T0 + 600,
      });
      expect(idsOf(await store.listRunEvents(run.id))).toEqual([first]);
    });

    it('concurrent completions of one run: exactly one wins', async () => {
      const run = await running();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.finishRun({
            runId: run.id,
            workerId: 'worker-a',
            attempt: 1,
            now: T0 + 600 + i,
            outcome: i % 2 ? FAILED : SUCCEEDED,
            eventId: w.eventId(),
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.listRunEvents(run.id)).toHaveLength(1);
    });
  });

  describe('releaseRun', () => {
    it('hands the run back to the queue without counting the attempt, only for its holder', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 100, 1);
      expect(await store.releaseRun({ runId: run.id, workerId: 'worker-b', attempt: 1 })).toBe(false);
      expect(await store.releaseRun({ runId: run.id, workerId: 'worker-a', attempt: 2 })).toBe(false);
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('running');

      expect(await store.releaseRun({ runId: run.id, workerId: 'worker-a', attempt: 1 })).toBe(true);
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
      });
      expect(await store.releaseRun({ runId: run.id, workerId: 'worker-a', attempt: 1 })).toBe(false);
      expect(await store.listRunEvents(run.id)).toEqual([]);

      const [again] = await w.claim('worker-b', T0 + 200, 1);
      expect(again).toMatchObject({ id: run.id, attempt: 1, workerId: 'worker-b' });
      // The releasing worker's late completion is refused: worker-b holds attempt 1 now.
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 300,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);
    });
  });

  describe('recoverExpiredLeases', () => {
    const recover = (now: number, maxAttempts = 3) =>
      store.recoverExpiredLeases({ now, maxAttempts, newEventId: () => w.eventId() });

    it('re-queues a run whose lease expired, keeping its attempt count', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      expect(await recover(T0 + 500)).toEqual({ requeued: [], failed: [] });
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('running');

      expect(await recover(T0 + 1_001)).toEqual({ requeued: [run.id], failed: [] });
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'queued',
        attempt: 1,
        workerId: null,
        leaseExpiresAt: null,
      });
      expect(await store.listRunEvents(run.id)).toEqual([]);
      expect(await recover(T0 + 2_000)).toEqual({ requeued: [], failed: [] });
    });

    it('leaves unexpired and renewed leases alone', async () => {
      const expiring = await w.queue();
      const renewedRun = await w.queue();
      const later = await w.queue();
      await w.claim('worker-a', T0, 2, 1_000);
      await w.claim('worker-b', T0 + 800, 1, 1_000);
      await store.renewLeases({
        workerId: 'worker-a',
        runs: [{ runId: renewedRun.id, attempt: 1 }],
        now: T0 + 900,
        leaseMs: 1_000,
      });
      expect(await recover(T0 + 1_500)).toEqual({ requeued: [expiring.id], failed: [] });
      expect((await store.getRun(w.acme.id, renewedRun.id))?.workerId).toBe('worker-a');
      expect((await store.getRun(w.acme.id, later.id))?.workerId).toBe('worker-b');
    });

    it('fails the run with worker_lost and one run.failed event once maxAttempts were used', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      expect(await recover(T0 + 1_001, 2)).toEqual({ requeued: [run.id], failed: [] });
      await w.claim('worker-b', T0 + 2_000, 1, 1_000);
      // The first worker comes back after its run was re-claimed: refused.
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 2_100,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);

      const eventId = `evt_${w.ids.ulid()}`;
      const result = await store.recoverExpiredLeases({
        now: T0 + 3_001,
        maxAttempts: 2,
        newEventId: () => eventId,
      });
      expect(result).toEqual({ requeued: [], failed: [run.id] });
      const failed = await store.getRun(w.acme.id, run.id);
      expect(failed).toMatchObject({
        status: 'failed',
        attempt: 2,
        errorCode: 'worker_lost',
        completedAt: T0 + 3_001,
        leaseExpiresAt: null,
        outputJson: null,
      });
      expect(failed?.errorMessage).toEqual(expect.any(String));
      expect(failed?.errorUserMessage).toEqual(expect.any(String));
      expect(await store.listRunEvents(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.failed', createdAt: T0 + 3_001 },
      ]);

      // The second worker's late completion is refused, and recovery does not fail the run twice.
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-b',
          attempt: 2,
          now: T0 + 3_500,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);
      expect(await recover(T0 + 10_000, 2)).toEqual({ requeued: [], failed: [] });
      expect(await store.listRunEvents(run.id)).toHaveLength(1);
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('failed');
    });

    it("a stale worker's completion after recovery is refused", async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      await recover(T0 + 1_001);
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 1_100,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('queued');
      expect(await store.listRunEvents(run.id)).toEqual([]);
    });
  });

  describe('cancelRun', () => {
    it('queued → cancelled at once, with a run.cancelled event; no worker can claim it', async () => {
      const run = await w.queue();
      const eventId = w.eventId();
      const result = await store.cancelRun(w.acme.id, run.id, T0 + 50, eventId);
      expect(result.outcome).toBe('cancelled');
      if (result.outcome !== 'cancelled') return;
      expect(result.run).toMatchObject({
        id: run.id,
        status: 'cancelled',
        errorCode: 'cancelled',
        completedAt: T0 + 50,
      });
      expect(result.run.errorMessage).toEqual(expect.any(String));
      expect(result.run.errorUserMessage).toEqual(expect.any(String));
      expect(await store.getRun(w.acme.id, run.id)).toEqual(result.run);
      expect(await store.listRunEvents(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.cancelled', createdAt: T0 + 50 },
      ]);
      expect(await w.claim('worker-a', T0 + 60)).toEqual([]);
    });

    it("running → cancelled with an event; the worker's later completion is refused", async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 10, 1, 1_000);
      const result = await store.cancelRun(w.acme.id, run.id, T0 + 50, w.eventId());
      expect(result.outcome).toBe('cancelled');
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({
        status: 'cancelled',
        errorCode: 'cancelled',
        leaseExpiresAt: null,
      });
      expect(
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 60,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBe(false);
      expect(
        await store.recoverExpiredLeases({ now: T0 + 5_000, maxAttempts: 1, newEventId: () => w.eventId() }),
      ).toEqual({ requeued: [], failed: [] });
      expect(await store.getRun(w.acme.id, run.id)).toMatchObject({ status: 'cancelled', outputJson: null });
      expect((await store.listRunEvents(run.id)).map((e) => e.type)).toEqual(['run.cancelled']);
    });

    it('cancelling again answers already_cancelled and writes no second event', async () => {
      const run = await w.queue();
      await store.cancelRun(w.acme.id, run.id, T0 + 50, w.eventId());
      const again = await store.cancelRun(w.acme.id, run.id, T0 + 90, w.eventId());
      expect(again.outcome).toBe('already_cancelled');
      if (again.outcome !== 'already_cancelled') return;
      expect(again.run).toMatchObject({ id: run.id, status: 'cancelled', completedAt: T0 + 50 });
      expect(await store.listRunEvents(run.id)).toHaveLength(1);
    });

    it('a finished run is not cancellable and stays as it was', async () => {
      const done = await w.queue();
      const lost = await w.queue();
      await w.claim('worker-a', T0, 2);
      const base = { workerId: 'worker-a', attempt: 1, now: T0 + 10 };
      await store.finishRun({ ...base, runId: done.id, outcome: SUCCEEDED, eventId: w.eventId() });
      await store.finishRun({ ...base, runId: lost.id, outcome: FAILED, eventId: w.eventId() });

      for (const run of [done, lost]) {
        const before = await store.getRun(w.acme.id, run.id);
        const result = await store.cancelRun(w.acme.id, run.id, T0 + 20, w.eventId());
        expect(result).toEqual({ outcome: 'not_cancellable', run: before });
        expect(await store.getRun(w.acme.id, run.id)).toEqual(before);
        expect(await store.listRunEvents(run.id)).toHaveLength(1);
      }
    });

    it("another workspace's run, or an unknown one, is not_found and untouched", async () => {
      const run = await w.queue();
      expect(await store.cancelRun(w.globex.id, run.id, T0 + 10, w.eventId())).toEqual({
        outcome: 'not_found',
      });
      expect(
        await store.cancelRun(w.acme.id, 'run_01JUNKNOWN0000000000000000', T0 + 10, w.eventId()),
      ).toEqual({
        outcome: 'not_found',
      });
      expect((await store.getRun(w.acme.id, run.id))?.status).toBe('queued');
      expect(await store.listRunEvents(run.id)).toEqual([]);
    });
  });

  describe('queue depth', () => {
    it('countQueuedRuns follows every change of status: create, claim, cancel, release, recovery', async () => {
      for (let i = 0; i < 5; i++) await w.queue();
      for (let i = 0; i < 2; i++) {
        await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      }
      expect(await store.countQueuedRuns(w.acme.id)).toBe(5);
      expect(await store.countQueuedRuns(w.globex.id)).toBe(2);

      // A claim takes the two oldest runs of acme out of the queue.
      const [first, second] = await w.claim('worker-a', T0, 2);
      expect(await store.countQueuedRuns(w.acme.id)).toBe(3);
      // Handed back on shutdown: queued again.
      await store.releaseRun({ runId: first!.id, workerId: 'worker-a', attempt: 1 });
      expect(await store.countQueuedRuns(w.acme.id)).toBe(4);
      // A queued run cancelled, and a running one: only the queued one changes the count.
      const queued = (await store.listRuns({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] })).find(
        (r) => r.status === 'queued',
      )!;
      await store.cancelRun(w.acme.id, queued.id, T0 + 1, w.eventId());
      await store.cancelRun(w.acme.id, second!.id, T0 + 1, w.eventId());
      expect(await store.countQueuedRuns(w.acme.id)).toBe(3);
      // A lost lease re-queues its run.
      await w.claim('worker-b', T0 + 2, 1);
      expect(await store.countQueuedRuns(w.acme.id)).toBe(2);
      await store.recoverExpiredLeases({ now: T0 + 2 + LEASE_MS + 1, maxAttempts: 3, newEventId: w.eventId });
      expect(await store.countQueuedRuns(w.acme.id)).toBe(3);
      expect(await store.countQueuedRuns(w.globex.id)).toBe(2);
      expect((await store.queueStats()).queued).toBe(5);
    });

    it('createRun refuses a run past the cap, exactly, under concurrent creates', async () => {
      await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      const results = await Promise.all(
        Array.from({ length: 40 }, () => store.createRun(w.newRun(), null, T0, 25)),
      );
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(25);
      expect(results.filter((r) => r.outcome === 'queue_full')).toHaveLength(15);
      expect(await store.countQueuedRuns(w.acme.id)).toBe(25);
      expect(await store.listRuns({ workspaceId: w.acme.id, limit: 100, runTypes: ['api'] })).toHaveLength(
        25,
      );
      // Another workspace's queue is its own.
      const theirs = w.newRun({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect((await store.createRun(theirs, null, T0, 25)).outcome).toBe('created');
      // Once runs leave the queue, there is room again (the oldest queued run is globex's).
      await w.claim('worker-a', T0 + 1, 2);
      expect((await store.createRun(w.newRun(), null, T0 + 2, 25)).outcome).toBe('created');
      expect((await store.createRun(w.newRun(), null, T0 + 2, 25)).outcome).toBe('queue_full');
    });

    it('a full queue still replays (or conflicts on) a live idempotency key, and stores no new key', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      const first = w.newRun();
      expect((await store.createRun(first, claim, T0, 1)).outcome).toBe('created');
      const replay = await store.createRun(w.newRun(), claim, T0 + 1, 1);
      expect(replay.outcome === 'replayed' && replay.run.id).toBe(first.id);
      const other = idempotencyClaim('order-1', { input: { transcript: 'Rep: Bye.' } }, T0 + 60_000);
      expect((await store.createRun(w.newRun(), other, T0 + 2, 1)).outcome).toBe('conflict');
      // A new key on a full queue: refused, and the key is not taken.
      expect(
        (await store.createRun(w.newRun(), idempotencyClaim('order-2', {}, T0 + 60_000), T0 + 3, 1)).outcome,
      ).toBe('queue_full');
      expect(await store.findIdempotencyKey(w.acme.id, 'live', 'order-2', T0 + 4)).toBeNull();
    });

    it('concurrent creates with keys under a cap: exactly the cap of runs, each key at most once', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.createRun(
            w.newRun(),
            idempotencyClaim(`k-${i % 20}`, { input: { transcript: `Rep: ${i % 20}.` } }, T0 + 60_000),
            T0,
            12,
          ),
        ),
      );
      const created = results.filter((r) => r.outcome === 'created');
      expect(created).toHaveLength(12);
      expect(await store.countQueuedRuns(w.acme.id)).toBe(12);
      expect(results.every((r) => ['created', 'replayed', 'queue_full'].includes(r.outcome))).toBe(true);
    });

    it('queueStats: queued runs everywhere and the median duration of recent runs', async () => {
      expect(await store.queueStats()).toEqual({ queued: 0, recentDurationMs: null });
      const durations = [100, 300, 200];
      for (const [i, duration] of durations.entries()) {
        const run = await w.queue();
        const start = T0 + i * 10_000;
        await w.claim('worker-a', start, 1);
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: start + duration,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        });
      }
      await w.queue();
      await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      expect(await store.queueStats()).toEqual({ queued: 2, recentDurationMs: 200 });
    });
  });

  describe('webhooks', () => {
    const endpoint = (overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
      id: `we_${w.ids.ulid()}`,
      workspaceId: w.acme.id,
      mode: 'live',
      url: 'https://hooks.example.com/semarize',
      description: '',
      events: ['run.succeeded', 'run.failed', 'run.cancelled'],
      payload: 'full',
      enabled: true,
      disabledReason: null,
      secret: 'whsec_current',
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      createdAt: T0,
      updatedAt: T0,
      ...overrides,
    });

    /** A run finished successfully at `at`; returns the event id. */
    async function finishedRun(
      at = T0 + 500,
      workspace = 'acme',
    ): Promise<{ runId: string; eventId: string }> {
      const overrides =
        workspace === 'acme'
          ? {}
          : { workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id };
      const run = await w.queue(overrides);
      await w.claim('worker-a', at - 100, 10);
      const eventId = w.eventId();
      const ok = await store.finishRun({
        runId: run.id,
        workerId: 'worker-a',
        attempt: 1,
        now: at,
        outcome: SUCCEEDED,
        eventId,
      });
      if (!ok) throw new Error('finishRun refused');
      return { runId: run.id, eventId };
    }

    const attempt = (deliveryId: string, n: number, statusCode: number | null, startedAt: number) => ({
      deliveryId,
      attempt: n,
      startedAt,
      statusCode,
      latencyMs: 12,
      responseSnippet: statusCode ? `answered ${statusCode}` : null,
      error: statusCode && statusCode < 300 ? null : 'HTTP failure',
    });

    it('stores endpoints per workspace; updates, rotates and soft-deletes them', async () => {
      const a = endpoint();
      const g = endpoint({ workspaceId: w.globex.id });
      await store.insertWebhookEndpoint(a, MAX_ENDPOINTS);
      await store.insertWebhookEndpoint(g, MAX_ENDPOINTS);
      expect(await store.getWebhookEndpoint(live(w.acme), a.id)).toEqual(a);
      expect(await store.getWebhookEndpoint(live(w.globex), a.id)).toBeNull();
      expect((await store.listWebhookEndpoints(live(w.acme))).map((e) => e.id)).toEqual([a.id]);

      const updated = await store.updateWebhookEndpoint(
        live(w.acme),
        a.id,
        { events: ['run.failed'], payload: 'thin' },
        T0 + 1,
      );
      expect(updated).toMatchObject({
        events: ['run.failed'],
        payload: 'thin',
        url: a.url,
        updatedAt: T0 + 1,
      });
      expect(await store.updateWebhookEndpoint(live(w.globex), a.id, { enabled: false }, T0 + 2)).toBeNull();

      const rotated = await store.rotateWebhookSecret(
        live(w.acme),
        a.id,
        'whsec_next',
        T0 + 86_400_000,
        T0 + 3,
      );
      expect(rotated).toMatchObject({
        secret: 'whsec_next',
        previousSecret: 'whsec_current',
        previousSecretExpiresAt: T0 + 86_400_000,
      });
      expect(await store.rotateWebhookSecret(live(w.globex), a.id, 'whsec_x', T0, T0)).toBeNull();

      expect(await store.deleteWebhookEndpoint(live(w.globex), a.id, T0 + 4)).toBe(false);
      expect(await store.deleteWebhookEndpoint(live(w.acme), a.id, T0 + 4)).toBe(true);
      expect(await store.deleteWebhookEndpoint(live(w.acme), a.id, T0 + 5)).toBe(false);
      expect(await store.getWebhookEndpoint(live(w.acme), a.id)).toBeNull();
      expect(await store.listWebhookEndpoints(live(w.acme))).toEqual([]);
    });

    it('endpoints belong to a mode: a scope sees, changes and deletes only its own mode', async () => {
      const liveOne = endpoint();
      const testOne = endpoint({ mode: 'test' });
      await store.insertWebhookEndpoint(liveOne, MAX_ENDPOINTS);
      await store.insertWebhookEndpoint(testOne, MAX_ENDPOINTS);
      const test = { workspaceId: w.acme.id, mode: 'test' } as const;
      expect((await store.listWebhookEndpoints(live(w.acme))).map((e) => e.id)).toEqual([liveOne.id]);
      expect((await store.listWebhookEndpoints(test)).map((e) => e.id)).toEqual([testOne.id]);
      expect(await store.getWebhookEndpoint(test, liveOne.id)).toBeNull();
      expect(await store.updateWebhookEndpoint(test, liveOne.id, { enabled: false }, T0 + 1)).toBeNull();
      expect(await store.rotateWebhookSecret(test, liveOne.id, 'whsec_x', T0, T0)).toBeNull();
      expect(await store.deleteWebhookEndpoint(test, liveOne.id, T0 + 2)).toBe(false);
      expect(await store.getWebhookEndpoint(live(w.acme), liveOne.id)).toEqual(liveOne);

      // A ping to the live endpoint is not reachable from the test scope, and cannot be redelivered there.
      const ping = await store.insertPingDelivery({
        deliveryId: 'dlv_ping',
        eventId: 'evt_ping',
        endpoint: liveOne,
        now: T0 + 3,
      });
      expect(await store.getDelivery(test, ping.id)).toBeNull();
      expect(await store.redeliver(test, ping.id, T0 + 4)).toBeNull();
      expect((await store.getDelivery(live(w.acme), ping.id))?.id).toBe(ping.id);
    });

    it('events of api runs go to live endpoints only, of sandbox runs to test endpoints only', async () => {
      const liveOne = endpoint();
      const testOne = endpoint({ mode: 'test' });
      await store.insertWebhookEndpoint(liveOne, MAX_ENDPOINTS);
      await store.insertWebhookEndpoint(testOne, MAX_ENDPOINTS);
      const deliveriesTo = (e: WebhookEndpointRecord) =>
        store.listDeliveries({ workspaceId: w.acme.id, endpointId: e.id, limit: 10 });

      const apiRun = await finishedRun(T0 + 500);
      expect((await deliveriesTo(liveOne)).map((d) => d.runId)).toEqual([apiRun.runId]);
      expect(await deliveriesTo(testOne)).toEqual([]);

      const sandbox = await w.queue({ runType: 'sandbox' });
      await store.cancelRun(w.acme.id, sandbox.id, T0 + 600, w.eventId());
      expect((await deliveriesTo(testOne)).map((d) => d.runId)).toEqual([sandbox.id]);
      expect((await deliveriesTo(liveOne)).map((d) => d.runId)).toEqual([apiRun.runId]);
    });

    it('insertWebhookEndpoint keeps to the limit per workspace and mode, exactly, under concurrent inserts', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store.insertWebhookEndpoint(endpoint(), 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await store.listWebhookEndpoints(live(w.acme))).toHaveLength(5);
      // The other mode and the other workspace have limits of their own.
      expect(await store.insertWebhookEndpoint(endpoint({ mode: 'test' }), 5)).toBe(true);
      expect(await store.insertWebhookEndpoint(endpoint({ workspaceId: w.globex.id }), 5)).toBe(true);
      // A deleted endpoint frees its place.
      const [first] = await store.listWebhookEndpoints(live(w.acme));
      await store.deleteWebhookEndpoint(live(w.acme), first!.id, T0 + 1);
      expect(await store.insertWebhookEndpoint(endpoint(), 5)).toBe(true);
      expect(await store.insertWebhookEndpoint(endpoint(), 5)).toBe(false);
    });

    it('a terminal transition queues one delivery per subscribed, enabled endpoint of its workspace, in its transaction', async () => {
      const all = endpoint();
      const failuresOnly = endpoint({ events: ['run.failed'] });
      const disabled = endpoint({ enabled: false });
      const deleted = endpoint();
      const otherWorkspace = endpoint({ workspaceId: w.globex.id });
      for (const e of [all, failuresOnly, disabled, deleted, otherWorkspace])
        await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      await store.deleteWebhookEndpoint(live(w.acme), deleted.id, T0);

      const { runId, eventId } = await finishedRun();
      const queued = await store.listDeliveries({ workspaceId: w.acme.id, endpointId: all.id, limit: 10 });
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({
        eventId,
        eventType: 'run.succeeded',
        eventCreatedAt: T0 + 500,
        runId,
        endpointId: all.id,
        workspaceId: w.acme.id,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 500,
        completedAt: null,
      });
      expect(queued[0]!.id).toMatch(/^dlv_/);
      for (const e of [failuresOnly, disabled, deleted]) {
        expect(await store.listDeliveries({ workspaceId: w.acme.id, endpointId: e.id, limit: 10 })).toEqual(
          [],
        );
      }
      expect(
        await store.listDeliveries({ workspaceId: w.globex.id, endpointId: otherWorkspace.id, limit: 10 }),
      ).toEqual([]);

      // A cancellation is an event too.
      const run = await w.queue();
      const cancelEvent = w.eventId();
      await store.cancelRun(w.acme.id, run.id, T0 + 900, cancelEvent);
      const afterCancel = await store.listDeliveries({
        workspaceId: w.acme.id,
        endpointId: all.id,
        limit: 10,
      });
      expect(afterCancel.map((d) => d.eventType)).toEqual(['run.cancelled', 'run.succeeded']);
      expect(afterCancel[0]!.eventId).toBe(cancelEvent);
    });

    it('claims due deliveries with a lease: never twice at once, again once the lease expired', async () => {
      const e = endpoint();
      await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      await finishedRun(T0 + 500);
      await finishedRun(T0 + 600);
      expect(
        await store.claimDueDeliveries({
          ...UNCAPPED,
          owner: 'd1',
          limit: 10,
          now: T0 + 400,
          leaseMs: 1_000,
        }),
      ).toEqual([]);

      const [a, b] = await Promise.all([
        store.claimDueDeliveries({ ...UNCAPPED, owner: 'd1', limit: 1, now: T0 + 700, leaseMs: 1_000 }),
        store.claimDueDeliveries({ ...UNCAPPED, owner: 'd2', limit: 1, now: T0 + 700, leaseMs: 1_000 }),
      ]);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(a![0]!.id).not.toBe(b![0]!.id);
      expect(a![0]).toMatchObject({ status: 'delivering', endpoint: { id: e.id, secret: 'whsec_current' } });
      // Each comes with its run as stored: what every attempt of it sends.
      for (const claimed of [a![0]!, b![0]!]) {
        expect(claimed.run).toEqual(await store.getRun(w.acme.id, claimed.runId!));
        expect(claimed.run?.status).toBe('succeeded');
      }
      expect(
        await store.claimDueDeliveries({
          ...UNCAPPED,
          owner: 'd3',
          limit: 10,
          now: T0 + 1_000,
          leaseMs: 1_000,
        }),
      ).toEqual([]);

      // d1 died: its lease runs out and another dispatcher takes the delivery, attempts unchanged.
      const again = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd3',
        limit: 10,
        now: T0 + 1_701,
        leaseMs: 1_000,
      });
      expect(again.map((d) => d.id).sort()).toEqual([a![0]!.id, b![0]!.id].sort());
      expect(again.every((d) => d.attempts === 0)).toBe(true);
    });

    it('records attempts only for the lease holder, with their consequences for the delivery and endpoint', async () => {
      const e = endpoint();
      await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      await finishedRun();
      const [claimed] = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 600,
        leaseMs: 30_000,
      });
      const id = claimed!.id;
      const failure = {
        deliveryId: id,
        owner: 'd2',
        attempt: attempt(id, 1, 500, T0 + 600),
        outcome: 'retry' as const,
        nextAttemptAt: T0 + 10_600,
        disableEndpoint: null,
      };
      expect(await store.recordDeliveryAttempt(failure, T0 + 650)).toBe(false);
      expect(await store.recordDeliveryAttempt({ ...failure, owner: 'd1' }, T0 + 650)).toBe(true);
      expect(await store.recordDeliveryAttempt({ ...failure, owner: 'd1' }, T0 + 650)).toBe(false);
      expect(await store.getDelivery(live(w.acme), id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 10_600,
        lastStatusCode: 500,
        lastLatencyMs: 12,
        lastError: 'HTTP failure',
      });
      expect((await store.getWebhookEndpoint(live(w.acme), e.id))?.failingSince).toBe(T0 + 600);
      expect(
        await store.claimDueDeliveries({
          ...UNCAPPED,
          owner: 'd1',
          limit: 1,
          now: T0 + 10_000,
          leaseMs: 30_000,
        }),
      ).toEqual([]);

      const [retry] = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd2',
        limit: 1,
        now: T0 + 10_600,
        leaseMs: 30_000,
      });
      expect(retry?.attempts).toBe(1);
      const success = {
        deliveryId: id,
        owner: 'd2',
        attempt: attempt(id, 2, 204, T0 + 10_600),
        outcome: 'succeeded' as const,
        nextAttemptAt: null,
        disableEndpoint: null,
      };
      expect(await store.recordDeliveryAttempt(success, T0 + 10_700)).toBe(true);
      expect(await store.getDelivery(live(w.acme), id)).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        nextAttemptAt: null,
        completedAt: T0 + 10_700,
      });
      expect((await store.getWebhookEndpoint(live(w.acme), e.id))?.failingSince).toBeNull();
      expect(await store.listDeliveryAttempts([id])).toEqual([
        attempt(id, 1, 500, T0 + 600),
        attempt(id, 2, 204, T0 + 10_600),
      ]);
      expect(await store.getDelivery(live(w.globex), id)).toBeNull();
    });

    it('disabling as a consequence stops the endpoint; its pending deliveries wait until it is enabled again', async () => {
      const e = endpoint();
      await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      await finishedRun(T0 + 500);
      const [first] = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 600,
        leaseMs: 30_000,
      });
      await store.recordDeliveryAttempt(
        {
          deliveryId: first!.id,
          owner: 'd1',
          attempt: attempt(first!.id, 1, 410, T0 + 600),
          outcome: 'failed',
          nextAttemptAt: null,
          disableEndpoint: 'gone',
        },
        T0 + 650,
      );
      expect(await store.getWebhookEndpoint(live(w.acme), e.id)).toMatchObject({
        enabled: false,
        disabledReason: 'gone',
      });
      expect((await store.getDelivery(live(w.acme), first!.id))?.status).toBe('failed');
      // Redelivered while disabled: due, but not claimed until the endpoint is enabled.
      expect((await store.redeliver(live(w.acme), first!.id, T0 + 700))?.status).toBe('pending');
      expect(
        await store.claimDueDeliveries({
          ...UNCAPPED,
          owner: 'd1',
          limit: 5,
          now: T0 + 800,
          leaseMs: 30_000,
        }),
      ).toEqual([]);
      const enabled = await store.updateWebhookEndpoint(live(w.acme), e.id, { enabled: true }, T0 + 900);
      expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const claimed = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd1',
        limit: 5,
        now: T0 + 900,
        leaseMs: 30_000,
      });
      expect(claimed.map((d) => [d.id, d.attempts])).toEqual([[first!.id, 1]]);
      // Redeliver leaves a delivery being sent alone.
      expect((await store.redeliver(live(w.acme), first!.id, T0 + 950))?.status).toBe('delivering');
    });

    it('deleting an endpoint fails its undelivered deliveries', async () => {
      const e = endpoint();
      await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      await finishedRun();
      const [pending] = await store.listDeliveries({ workspaceId: w.acme.id, endpointId: e.id, limit: 1 });
      await store.deleteWebhookEndpoint(live(w.acme), e.id, T0 + 1_000);
      expect(await store.getDelivery(live(w.acme), pending!.id)).toMatchObject({
        status: 'failed',
        completedAt: T0 + 1_000,
        lastError: 'endpoint deleted',
      });
      expect(
        await store.claimDueDeliveries({
          ...UNCAPPED,
          owner: 'd1',
          limit: 5,
          now: T0 + 2_000,
          leaseMs: 1_000,
        }),
      ).toEqual([]);
    });

    it('test pings and the deliveries log: newest first, paged with beforeId', async () => {
      const e = endpoint();
      await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const ping = await store.insertPingDelivery({
          deliveryId: `dlv_${w.ids.ulid()}`,
          eventId: w.eventId(),
          endpoint: e,
          now: T0 + i,
        });
        expect(ping).toMatchObject({
          eventType: 'ping',
          runId: null,
          status: 'pending',
          nextAttemptAt: T0 + i,
        });
        ids.push(ping.id);
      }
      const claimedPings = await store.claimDueDeliveries({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 10,
        leaseMs: 1,
      });
      expect(claimedPings).toHaveLength(1);
      expect(claimedPings[0]!.run).toBeNull();
      const first = await store.listDeliveries({ workspaceId: w.acme.id, endpointId: e.id, limit: 2 });
      expect(first.map((d) => d.id)).toEqual([ids[4], ids[3], ids[2]]);
      const second = await store.listDeliveries({
        workspaceId: w.acme.id,
        endpointId: e.id,
        limit: 2,
        beforeId: ids[3]!,
      });
      expect(second.map((d) => d.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(await store.listDeliveries({ workspaceId: w.globex.id, endpointId: e.id, limit: 2 })).toEqual(
        [],
      );
      expect(await store.listDeliveryAttempts([])).toEqual([]);
    });

    describe('fair delivery', () => {
      const CAPS = { maxPerEndpoint: 4, maxPerWorkspace: 100 };
      const claim = (owner: string, limit: number, now: number, caps: Partial<typeof CAPS> = {}) =>
        store.claimDueDeliveries({ owner, limit, now, leaseMs: 30_000, ...CAPS, ...caps });

      /** An endpoint with `count` pings due one millisecond apart from `from`; their ids in order. */
      async function endpointWithPings(count: number, from: number, workspaceId = w.acme.id) {
        const e = endpoint({ workspaceId });
        await store.insertWebhookEndpoint(e, MAX_ENDPOINTS);
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const ping = await store.insertPingDelivery({
            deliveryId: `dlv_${w.ids.ulid()}`,
            eventId: w.eventId(),
            endpoint: e,
            now: from + i,
          });
          ids.push(ping.id);
        }
        return { endpoint: e, ids };
      }

      const succeed = (d: { id: string; attempts: number }, owner: string, at: number) =>
        store.recordDeliveryAttempt(
          {
            deliveryId: d.id,
            owner,
            attempt: attempt(d.id, d.attempts + 1, 204, at),
            outcome: 'succeeded',
            nextAttemptAt: null,
            disableEndpoint: null,
          },
          at,
        );

      const perEndpoint = (claimed: readonly { endpointId: string }[]) => {
        const counts = new Map<string, number>();
        for (const d of claimed) counts.set(d.endpointId, (counts.get(d.endpointId) ?? 0) + 1);
        return counts;
      };

      it('leases at most maxPerEndpoint deliveries to one endpoint at once, oldest first, whoever claims', async () => {
        const one = await endpointWithPings(10, T0);
        const two = await endpointWithPings(10, T0);
        const first = await claim('d1', 100, T0 + 100);
        expect(first).toHaveLength(8);
        expect(perEndpoint(first)).toEqual(
          new Map([
            [one.endpoint.id, 4],
            [two.endpoint.id, 4],
          ]),
        );
        expect(
          first
            .filter((d) => d.endpointId === one.endpoint.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(one.ids.slice(0, 4).sort());
        // Another dispatcher finds both endpoints full.
        expect(await claim('d2', 100, T0 + 100)).toEqual([]);
        // One attempt ends: one place at that endpoint, taken by whoever claims next.
        expect(await succeed(first.find((d) => d.endpointId === one.endpoint.id)!, 'd1', T0 + 200)).toBe(
          true,
        );
        const next = await claim('d2', 100, T0 + 200);
        expect(next.map((d) => d.id)).toEqual([one.ids[4]]);
        // Leases that expired (their dispatcher died) are not in flight: they are due again, first.
        const held = [...first, ...next].filter((d) => d.endpointId === two.endpoint.id).map((d) => d.id);
        const afterExpiry = await claim('d3', 100, T0 + 200 + 30_001);
        expect(perEndpoint(afterExpiry)).toEqual(
          new Map([
            [one.endpoint.id, 4],
            [two.endpoint.id, 4],
          ]),
        );
        expect(
          afterExpiry
            .filter((d) => d.endpointId === two.endpoint.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(held.sort());
      });

      it('concurrent dispatchers together never exceed maxPerEndpoint at one endpoint', async () => {
        const endpoints = await Promise.all(Array.from({ length: 3 }, () => endpointWithPings(20, T0)));
        for (let round = 0; round < 3; round++) {
          const now = T0 + 100 + round * 30_001; // each round after the last round's leases expired
          const claimed = (
            await Promise.all(Array.from({ length: 10 }, (_, i) => claim(`d${i}`, 3, now)))
          ).flat();
          expect(new Set(claimed.map((d) => d.id)).size).toBe(claimed.length);
          for (const count of perEndpoint(claimed).values()) expect(count).toBeLessThanOrEqual(4);
          // The count each claim saw was exact: one more claim fills every endpoint to 4, not past it.
          const topUp = await claim('top-up', 100, now);
          expect(perEndpoint([...claimed, ...topUp])).toEqual(
            new Map(endpoints.map((e) => [e.endpoint.id, 4])),
          );
        }
      });

      it('takes due deliveries round robin across workspaces, the workspace holding fewest first', async () => {
        // Acme's backlog is older and larger, on three endpoints; Globex's one endpoint comes later.
        const acme = [
          await endpointWithPings(6, T0),
          await endpointWithPings(6, T0),
          await endpointWithPings(6, T0),
        ];
        const globex = await endpointWithPings(6, T0 + 50, w.globex.id);
        const workspaceOf = (d: { workspaceId: string }) => (d.workspaceId === w.acme.id ? 'acme' : 'globex');

        const first = await claim('d1', 4, T0 + 100);
        expect(first.map(workspaceOf).sort()).toEqual(['acme', 'acme', 'globex', 'globex']);
        expect(
          first
            .filter((d) => d.workspaceId === w.globex.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(globex.ids.slice(0, 2).sort());
        // Acme holds two here and Globex two: equal turns again, then Acme's older ones break the tie.
        const second = await claim('d1', 3, T0 + 100);
        expect(second.map(workspaceOf).sort()).toEqual(['acme', 'acme', 'globex']);
        // Then whatever room is left: Globex's last place at its endpoint, and Acme's endpoints fill up.
        const third = await claim('d1', 100, T0 + 100);
        expect(third.map(workspaceOf).filter((name) => name === 'globex')).toHaveLength(1);
        expect(perEndpoint([...first, ...second, ...third])).toEqual(
          new Map([...acme.map((e) => [e.endpoint.id, 4] as const), [globex.endpoint.id, 4]]),
        );
      });

      it("a workspace holds at most maxPerWorkspace of one dispatcher's leases; another dispatcher may take more", async () => {
        await endpointWithPings(4, T0);
        await endpointWithPings(4, T0);
        const globex = await endpointWithPings(2, T0 + 50, w.globex.id);
        const capped = { maxPerWorkspace: 3 };
        const first = await claim('d1', 100, T0 + 100, capped);
        expect(first.filter((d) => d.workspaceId === w.acme.id)).toHaveLength(3);
        expect(
          first
            .filter((d) => d.workspaceId === w.globex.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual([...globex.ids].sort());
        expect(await claim('d1', 100, T0 + 100, capped)).toEqual([]);
        // The cap is per dispatcher: d2 takes three more of Acme's.
        const second = await claim('d2', 100, T0 + 100, capped);
        expect(second.map((d) => d.workspaceId)).toEqual([w.acme.id, w.acme.id, w.acme.id]);
        // A finished attempt gives d1 its place back.
        await succeed(first.find((d) => d.workspaceId === w.acme.id)!, 'd1', T0 + 200);
        expect(await claim('d1', 100, T0 + 200, capped)).toHaveLength(1);
      });
    });
  });

  describe('retention', () => {
    const pass = (overrides: Partial<RetentionPass> = {}): RetentionPass => ({
      now: T0 + 10_000,
      inputsCompletedBefore: null,
      attemptsStartedBefore: null,
      limit: 100,
      ...overrides,
    });

    it('deletes idempotency keys once expired, and only those', async () => {
      await store.createRun(w.newRun(), idempotencyClaim('old', {}, T0 + 5_000), T0, NO_CAP);
      await store.createRun(w.newRun(), idempotencyClaim('young', {}, T0 + 50_000), T0, NO_CAP);
      expect(await store.purgeExpired(pass())).toEqual({ idempotencyKeys: 1, inputs: 0, attempts: 0 });
      // Looked up as of a moment when it had not yet expired: it is gone from the table.
      expect(await store.findIdempotencyKey(w.acme.id, 'live', 'old', T0 + 1)).toBeNull();
      expect(await store.findIdempotencyKey(w.acme.id, 'live', 'young', T0 + 1)).not.toBeNull();
      expect((await store.purgeExpired(pass())).idempotencyKeys).toBe(0);
    });

    it('purges the inputs of runs finished before the cut-off, once, in batches of at most limit', async () => {
      const finished: string[] = [];
      for (let i = 0; i < 3; i++) {
        const run = await w.queue({ metadataJson: JSON.stringify({ deal: i }) });
        await w.claim('worker-a', T0 + 100, 1);
        await store.finishRun({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 200,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        });
        finished.push(run.id);
      }
      const late = await w.queue();
      await w.claim('worker-a', T0 + 100, 1);
      await store.finishRun({
        runId: late.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 9_000,
        outcome: FAILED,
        eventId: w.eventId(),
      });
      const queued = await w.queue();

      const cut = { inputsCompletedBefore: T0 + 5_000 };
      expect((await store.purgeExpired(pass({ ...cut, limit: 2 }))).inputs).toBe(2);
      expect((await store.purgeExpired(pass({ ...cut, limit: 2 }))).inputs).toBe(1);
      expect((await store.purgeExpired(pass(cut))).inputs).toBe(0);
      // What the API shows is untouched: status, output, metadata.
      const first = await store.getRun(w.acme.id, finished[0]!);
      expect(first).toMatchObject({
        status: 'succeeded',
        outputJson: SUCCEEDED.outputJson,
        metadataJson: '{"deal":0}',
      });
      // A run not yet finished keeps its input for the executor.
      const [claimed] = await w.claim('worker-b', T0 + 9_500, 10);
      expect(claimed?.id).toBe(queued.id);
      // The prepared input, and not the input as sent, which the executor does not need then.
      expect(claimed!.preparedJson).toBe('{"prepared":true}');
      expect(claimed!.inputJson).toBeNull();
      // Later, the run that finished after the first cut-off goes too (the queued one is running).
      expect((await store.purgeExpired(pass({ inputsCompletedBefore: T0 + 9_001 }))).inputs).toBe(1);
    });

    it('deletes webhook attempts started before the cut-off, keeping the deliveries', async () => {
      const endpoint: WebhookEndpointRecord = {
        id: `we_${w.ids.ulid()}`,
        workspaceId: w.acme.id,
        mode: 'live',
        url: 'https://hooks.example.com/semarize',
        description: '',
        events: ['run.succeeded', 'run.failed', 'run.cancelled'],
        payload: 'full',
        enabled: true,
        disabledReason: null,
        secret: 'whsec_current',
        previousSecret: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        createdAt: T0,
        updatedAt: T0,
      };
      await store.insertWebhookEndpoint(endpoint, MAX_ENDPOINTS);
      const ping = await store.insertPingDelivery({
        deliveryId: `dlv_${w.ids.ulid()}`,
        eventId: w.eventId(),
        endpoint,
        now: T0,
      });
      for (const [n, at] of [
        [1, T0],
        [2, T0 + 8_000],
      ] as const) {
        await store.claimDueDeliveries({ ...UNCAPPED, owner: 'd1', limit: 1, now: at, leaseMs: 1_000 });
        await store.recordDeliveryAttempt(
          {
            deliveryId: ping.id,
            owner: 'd1',
            attempt: {
              deliveryId: ping.id,
              attempt: n,
              startedAt: at,
              statusCode: 500,
              latencyMs: 5,
              responseSnippet: null,
              error: 'HTTP 500',
            },
            outcome: 'retry',
            nextAttemptAt: at + 1,
            disableEndpoint: null,
          },
          at,
        );
      }
      expect((await store.purgeExpired(pass({ attemptsStartedBefore: T0 + 5_000 }))).attempts).toBe(1);
      expect((await store.listDeliveryAttempts([ping.id])).map((a) => a.attempt)).toEqual([2]);
      expect((await store.getDelivery(live(w.acme), ping.id))?.attempts).toBe(2);
    });
  });
});
