/**
 * Store conformance: Bricks, Kits and Kit versions (KitStore). Every test runs against every adapter in ADAPTERS
 * (test/support/store-adapters.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KitRecord } from '../../../src/kits/records.ts';
import type { Store } from '../../../src/store/store.ts';
import type { WorkspaceRecord } from '../../../src/workspaces/records.ts';
import {
  ADAPTERS,
  buildWorld,
  cleanUpAdapters,
  kitVersionOf,
  T0,
  talkRatio,
  type World,
} from '../../support/store-adapters.ts';

cleanUpAdapters();

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
});
