/**
 * Store conformance: Bricks, Kits and Kit versions (KitStore). Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { KitRecord } from '../../../src/kits/records.ts';
import type { WorkspaceRecord } from '../../../src/workspaces/records.ts';
import { describeStoreConformance, kitVersionOf, T0, talkRatio } from '../../support/store-adapters.ts';

describeStoreConformance('KitStore', ({ store, w }) => {
  describe('Bricks and Kits', () => {
    it('keeps every Brick version and returns the latest, per workspace', async () => {
      await store.brickVersionInsert({
        id: 'brv_1',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 1,
        definition: talkRatio,
        createdAt: T0,
      });
      const v2 = { ...talkRatio, version: 2, description: 'Reworded.' };
      await store.brickVersionInsert({
        id: 'brv_2',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 2,
        definition: v2,
        createdAt: T0 + 1,
      });
      expect(await store.brickVersionGetLatest(w.acme.id, 'talk_ratio')).toEqual({
        id: 'brv_2',
        workspaceId: w.acme.id,
        key: 'talk_ratio',
        version: 2,
        definition: v2,
        createdAt: T0 + 1,
      });
      expect(await store.brickVersionGetLatest(w.globex.id, 'talk_ratio')).toBeNull();
      expect(await store.brickVersionGetLatest(w.acme.id, 'question_count')).toBeNull();
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
      await store.brickVersionInsert(record);
      await expect(store.brickVersionInsert({ ...record, id: 'brv_again' })).rejects.toThrow();
    });

    it('finds Kits by code and by name only in their own workspace; codes are unique per workspace', async () => {
      expect(await store.kitGetByCode(w.acme.id, 'KTA00001')).toEqual(w.acmeKit);
      expect(await store.kitGetByCode(w.globex.id, 'KTA00001')).toBeNull();
      expect(await store.kitExistsByCode(w.acme.id, 'KTA00001')).toBe(true);
      // Another workspace's code is not observable.
      expect(await store.kitExistsByCode(w.acme.id, 'KTG00001')).toBe(false);
      expect(await store.kitExistsByCode(w.globex.id, 'KTG00001')).toBe(true);
      expect(await store.kitExistsByCode(w.acme.id, 'ZZZZZZZZ')).toBe(false);
      // The same code in another workspace is a different Kit…
      const theirs: KitRecord = {
        id: 'kit_theirs',
        workspaceId: w.globex.id,
        code: 'KTA00001',
        name: 'Theirs',
        createdAt: T0,
      };
      await store.kitInsert(theirs);
      expect(await store.kitGetByCode(w.globex.id, 'KTA00001')).toEqual(theirs);
      expect(await store.kitGetByCode(w.acme.id, 'KTA00001')).toEqual(w.acmeKit);
      // …but not twice in one workspace.
      await expect(
        store.kitInsert({
          id: 'kit_clash',
          workspaceId: w.acme.id,
          code: 'KTA00001',
          name: 'Clash',
          createdAt: T0,
        }),
      ).rejects.toThrow();

      expect(await store.kitGetByName(w.acme.id, 'Discovery')).toEqual(w.acmeSecondKit);
      expect(await store.kitGetByName(w.globex.id, 'Discovery')).toBeNull();
      // Two Kits with one name: the oldest wins.
      await store.kitInsert({
        id: 'kit_newer',
        workspaceId: w.acme.id,
        code: 'KTA00009',
        name: 'Discovery',
        createdAt: T0 + 10,
      });
      expect((await store.kitGetByName(w.acme.id, 'Discovery'))?.id).toBe(w.acmeSecondKit.id);
    });

    it('publishes only drafts: the second publish returns false and keeps the first time', async () => {
      const draft = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      await store.kitVersionInsert(draft);
      expect(await store.kitVersionGetLatest(w.acmeKit.id)).toEqual(draft);
      expect((await store.kitVersionGetLatestPublished(w.acmeKit.id))?.id).toBe(w.acmeVersion.id);

      expect(await store.kitVersionPublish(draft.id, T0 + 20)).toBe(true);
      expect(await store.kitVersionGetLatestPublished(w.acmeKit.id)).toEqual({
        ...draft,
        status: 'published',
        publishedAt: T0 + 20,
      });
      expect(await store.kitVersionPublish(draft.id, T0 + 30)).toBe(false);
      expect((await store.kitVersionGetUnscoped(draft.id))?.publishedAt).toBe(T0 + 20);
      expect(await store.kitVersionPublish(crypto.randomUUID(), T0 + 30)).toBe(false);
    });

    it('kitVersionGetLatestPublished ignores newer drafts, and is null with none published', async () => {
      await store.kitVersionInsert(kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10));
      expect((await store.kitVersionGetLatest(w.acmeKit.id))?.version).toBe(2);
      expect((await store.kitVersionGetLatestPublished(w.acmeKit.id))?.version).toBe(1);

      const kit: KitRecord = {
        id: 'kit_drafts',
        workspaceId: w.acme.id,
        code: 'KTA00003',
        name: 'Drafts',
        createdAt: T0,
      };
      await store.kitInsert(kit);
      await store.kitVersionInsert(kitVersionOf(kit, 1, 'draft', T0));
      expect(await store.kitVersionGetLatestPublished(kit.id)).toBeNull();
      expect(await store.kitVersionGetLatest('kit_unknown')).toBeNull();
    });

    it('kitGetPublishedVersionId: the latest published version by code, scoped to the workspace', async () => {
      expect(await store.kitGetPublishedVersionId(w.acme.id, w.acmeKit.code)).toEqual({
        versionId: w.acmeVersion.id,
      });
      const draft = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      await store.kitVersionInsert(draft);
      expect(await store.kitGetPublishedVersionId(w.acme.id, w.acmeKit.code)).toEqual({
        versionId: w.acmeVersion.id,
      });
      await store.kitVersionPublish(draft.id, T0 + 20);
      expect(await store.kitGetPublishedVersionId(w.acme.id, w.acmeKit.code)).toEqual({
        versionId: draft.id,
      });

      expect(await store.kitGetPublishedVersionId(w.globex.id, w.acmeKit.code)).toBeNull();
      expect(await store.kitGetPublishedVersionId(w.acme.id, 'ZZZZ9999')).toBeNull();
      const kit: KitRecord = {
        id: 'kit_unpublished',
        workspaceId: w.acme.id,
        code: 'KTA00004',
        name: 'Unpublished',
        createdAt: T0,
      };
      await store.kitInsert(kit);
      expect(await store.kitGetPublishedVersionId(w.acme.id, kit.code)).toEqual({ versionId: null });
      await store.kitVersionInsert(kitVersionOf(kit, 1, 'draft', T0));
      expect(await store.kitGetPublishedVersionId(w.acme.id, kit.code)).toEqual({ versionId: null });
    });

    it('kitVersionGet is scoped to the workspace; kitVersionGetUnscoped is not', async () => {
      expect(await store.kitVersionGet(w.acme.id, w.acmeVersion.id)).toEqual(w.acmeVersion);
      expect(await store.kitVersionGet(w.globex.id, w.acmeVersion.id)).toBeNull();
      expect(await store.kitVersionGetUnscoped(w.acmeVersion.id)).toEqual(w.acmeVersion);
      expect(await store.kitVersionGetUnscoped(w.globexVersion.id)).toEqual(w.globexVersion);
      expect(await store.kitVersionGetUnscoped(crypto.randomUUID())).toBeNull();
    });

    it('refuses a Kit version number that already exists', async () => {
      await expect(store.kitVersionInsert(kitVersionOf(w.acmeKit, 1, 'draft', T0))).rejects.toThrow();
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

    it('brickVersionInsertIfNew writes a new version, and refuses a taken one without changing it', async () => {
      const first = brickVersion(w.acme, 'talk_ratio', 1);
      expect(await store.brickVersionInsertIfNew(first)).toBe(true);
      const clash = { ...brickVersion(w.acme, 'talk_ratio', 1, T0 + 5), id: 'brv_clash' };
      clash.definition.name = 'Changed';
      expect(await store.brickVersionInsertIfNew(clash)).toBe(false);
      expect(await store.brickVersionGet(w.acme.id, 'talk_ratio', 1)).toEqual(first);
      // The same key and version in another workspace is a different Brick.
      expect(await store.brickVersionInsertIfNew(brickVersion(w.globex, 'talk_ratio', 1))).toBe(true);
    });

    it('brickVersionGet and brickVersionList see only their workspace, newest first', async () => {
      for (const version of [1, 2, 3])
        await store.brickVersionInsert(brickVersion(w.acme, 'pricing', version));
      await store.brickVersionInsert(brickVersion(w.globex, 'pricing', 1));
      expect((await store.brickVersionGet(w.acme.id, 'pricing', 2))?.definition.name).toBe('pricing v2');
      expect(await store.brickVersionGet(w.acme.id, 'pricing', 4)).toBeNull();
      expect(await store.brickVersionGet(w.globex.id, 'pricing', 2)).toBeNull();
      expect((await store.brickVersionList(w.acme.id, 'pricing')).map((b) => b.version)).toEqual([3, 2, 1]);
      expect((await store.brickVersionList(w.globex.id, 'pricing')).map((b) => b.id)).toEqual([
        'brv_globex_pricing_1',
      ]);
      expect(await store.brickVersionList(w.acme.id, 'unknown')).toEqual([]);
    });

    it('brickVersionListLatest gives the latest version of each Brick of the workspace, by key', async () => {
      await store.brickVersionInsert(brickVersion(w.acme, 'zeta', 1));
      await store.brickVersionInsert(brickVersion(w.acme, 'alpha', 1));
      await store.brickVersionInsert(brickVersion(w.acme, 'alpha', 2));
      await store.brickVersionInsert(brickVersion(w.globex, 'beta', 7));
      const latest = await store.brickVersionListLatest(w.acme.id);
      expect(latest.map((b) => [b.key, b.version])).toEqual([
        ['alpha', 2],
        ['zeta', 1],
      ]);
      expect(latest[0]).toEqual(brickVersion(w.acme, 'alpha', 2));
      expect((await store.brickVersionListLatest(w.globex.id)).map((b) => b.key)).toEqual(['beta']);
    });

    it('kitList lists the workspace Kits newest first', async () => {
      const newer: KitRecord = {
        id: `kit_${w.ids.ulid()}`,
        workspaceId: w.acme.id,
        code: 'KTA00005',
        name: 'Newer',
        createdAt: T0 + 50,
      };
      await store.kitInsert(newer);
      expect((await store.kitList(w.acme.id)).map((k) => k.code)).toEqual([
        'KTA00005',
        'KTA00002',
        'KTA00001',
      ]);
      expect(await store.kitList(w.globex.id)).toEqual([
        {
          id: expect.any(String),
          workspaceId: w.globex.id,
          code: 'KTG00001',
          name: 'Call basics',
          createdAt: T0,
        },
      ]);
    });

    it('kitInsertWithFirstVersion writes both, or nothing when the code is taken in the workspace', async () => {
      const kit: KitRecord = {
        id: 'kit_new',
        workspaceId: w.acme.id,
        code: 'KTA00007',
        name: 'New',
        createdAt: T0 + 1,
      };
      const version = kitVersionOf(kit, 1, 'draft', T0 + 1);
      expect(await store.kitInsertWithFirstVersion(kit, version)).toBe(true);
      expect(await store.kitGetByCode(w.acme.id, 'KTA00007')).toEqual(kit);
      expect(await store.kitVersionGet(w.acme.id, version.id)).toEqual(version);

      // KTG00001 belongs to globex: acme may have a Kit of that code too.
      const same: KitRecord = { ...kit, id: 'kit_same_code', code: 'KTG00001' };
      expect(await store.kitInsertWithFirstVersion(same, kitVersionOf(same, 1, 'draft', T0 + 2))).toBe(true);
      expect(await store.kitGetByCode(w.acme.id, 'KTG00001')).toEqual(same);

      // KTA00001 is acme's own: a second acme Kit cannot take it, and nothing is left behind.
      const clash: KitRecord = { ...kit, id: 'kit_clash', code: 'KTA00001' };
      const clashVersion = kitVersionOf(clash, 1, 'draft', T0 + 2);
      expect(await store.kitInsertWithFirstVersion(clash, clashVersion)).toBe(false);
      expect(await store.kitVersionGetUnscoped(clashVersion.id)).toBeNull();
      expect(await store.kitVersionList('kit_clash')).toEqual([]);
      expect((await store.kitList(w.acme.id)).map((k) => k.id)).not.toContain('kit_clash');
    });

    it('kitVersionInsertIfNew refuses a taken version number; kitVersionList is newest first', async () => {
      const second = kitVersionOf(w.acmeKit, 2, 'draft', T0 + 10);
      expect(await store.kitVersionInsertIfNew(second)).toBe(true);
      const clash = { ...kitVersionOf(w.acmeKit, 2, 'draft', T0 + 20), name: 'Clash' };
      expect(await store.kitVersionInsertIfNew(clash)).toBe(false);
      expect(await store.kitVersionGetUnscoped(clash.id)).toBeNull();
      expect(await store.kitVersionList(w.acmeKit.id)).toEqual([second, w.acmeVersion]);
      expect(await store.kitVersionList('kit_unknown')).toEqual([]);
    });

    it('concurrent writers of one next version number: exactly one wins', async () => {
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        ...kitVersionOf(w.acmeKit, 2, 'draft', T0 + i),
        name: `attempt ${i}`,
      }));
      const results = await Promise.all(attempts.map((v) => store.kitVersionInsertIfNew(v)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.kitVersionList(w.acmeKit.id)).map((v) => v.version)).toEqual([2, 1]);
    });
  });
});
