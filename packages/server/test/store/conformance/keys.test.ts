/**
 * Store conformance: Workspaces, API keys and console sessions (KeyStore). Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../../src/keys/records.ts';
import type { WorkspaceRecord } from '../../../src/workspaces/records.ts';
import { describeStoreConformance, idsOf, T0 } from '../../support/store-adapters.ts';

describeStoreConformance('KeyStore', ({ store, w }) => {
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
      expect(await store.workspaceCount()).toBe(2);
      expect(await store.workspaceGetByName('acme')).toEqual(w.acme);
      expect(await store.workspaceGetByName('initech')).toBeNull();
      await store.workspaceInsert({ id: 'ws_initech', name: 'initech', createdAt: T0 + 5 });
      expect(await store.workspaceCount()).toBe(3);
      expect(await store.workspaceGetByName('initech')).toEqual({
        id: 'ws_initech',
        name: 'initech',
        createdAt: T0 + 5,
      });
    });

    it('refuses a second workspace with the same name', async () => {
      await expect(store.workspaceInsert({ id: 'ws_dup', name: 'acme', createdAt: T0 })).rejects.toThrow();
      expect(await store.workspaceCount()).toBe(2);
    });

    it('finds a key by its hash with every field as stored', async () => {
      const key = keyOf(w.acme, 1, { mode: 'test', role: 'runner', name: 'CI', expiresAt: T0 + 86_400_000 });
      await store.apiKeyInsert(key);
      expect(await store.apiKeyGetByHash(key.keyHash)).toEqual(key);
      expect(await store.apiKeyGetByHash('hash_unknown')).toBeNull();
    });

    it('lists keys per workspace in creation order, or all keys', async () => {
      const second = keyOf(w.acme, 2);
      const first = keyOf(w.acme, 1);
      const theirs = keyOf(w.globex, 3);
      await store.apiKeyInsert(second);
      await store.apiKeyInsert(theirs);
      await store.apiKeyInsert(first);
      expect(idsOf(await store.apiKeyList(w.acme.id))).toEqual([first.id, second.id]);
      expect(idsOf(await store.apiKeyList(w.globex.id))).toEqual([theirs.id]);
      expect(idsOf(await store.apiKeyList(null))).toEqual([first.id, second.id, theirs.id]);
    });

    it("records keys' last use in batches, only ever moving it forward", async () => {
      const [a, b] = [keyOf(w.acme, 1), keyOf(w.acme, 2)];
      await store.apiKeyInsert(a);
      await store.apiKeyInsert(b);
      await store.apiKeyRecordUse([
        { keyId: a.id, at: T0 + 60_000 },
        { keyId: b.id, at: T0 + 30_000 },
        { keyId: 'key_unknown', at: T0 },
      ]);
      // An older use (another process's late batch) does not move it back.
      await store.apiKeyRecordUse([{ keyId: a.id, at: T0 + 1_000 }]);
      await store.apiKeyRecordUse([]);
      const used = (await store.apiKeyList(w.acme.id)).map((k) => [k.id, k.lastUsedAt]);
      expect(used).toEqual([
        [a.id, T0 + 60_000],
        [b.id, T0 + 30_000],
      ]);
      expect((await store.apiKeyGetByHash(a.keyHash))!.lastUsedAt).toBe(T0 + 60_000);
    });

    it('revokes a key once: a second revoke or an unknown key returns false', async () => {
      const key = keyOf(w.acme, 1);
      await store.apiKeyInsert(key);
      expect(await store.apiKeyRevokeUnscoped(key.id, T0 + 100)).toBe(true);
      expect((await store.apiKeyGetByHash(key.keyHash))?.revokedAt).toBe(T0 + 100);
      expect(await store.apiKeyRevokeUnscoped(key.id, T0 + 200)).toBe(false);
      expect((await store.apiKeyGetByHash(key.keyHash))?.revokedAt).toBe(T0 + 100);
      expect(await store.apiKeyRevokeUnscoped('key_unknown', T0 + 300)).toBe(false);
    });

    it("revokes a workspace's key unless it is the last live admin key", async () => {
      const admin = keyOf(w.acme, 1);
      const otherAdmin = keyOf(w.acme, 2);
      const runner = keyOf(w.acme, 3, { role: 'runner' });
      const testAdmin = keyOf(w.acme, 4, { mode: 'test' });
      const expiredAdmin = keyOf(w.acme, 5, { expiresAt: T0 + 50 });
      const theirs = keyOf(w.globex, 6);
      for (const k of [admin, otherAdmin, runner, testAdmin, expiredAdmin, theirs])
        await store.apiKeyInsert(k);

      expect(await store.apiKeyRevoke(w.acme.id, theirs.id, T0 + 100)).toEqual({
        result: 'not_found',
      });
      expect(await store.apiKeyRevoke(w.acme.id, 'key_unknown', T0 + 100)).toEqual({
        result: 'not_found',
      });
      expect(await store.apiKeyRevoke(w.acme.id, runner.id, T0 + 100)).toEqual({
        result: 'revoked',
        key: { ...runner, revokedAt: T0 + 100 },
      });
      expect(await store.apiKeyRevoke(w.acme.id, runner.id, T0 + 200)).toEqual({
        result: 'already_revoked',
        key: { ...runner, revokedAt: T0 + 100 },
      });
      expect((await store.apiKeyRevoke(w.acme.id, otherAdmin.id, T0 + 100)).result).toBe('revoked');
      // Test keys and expired keys do not count as a way to manage the workspace.
      expect(await store.apiKeyRevoke(w.acme.id, admin.id, T0 + 100)).toEqual({
        result: 'last_admin_key',
      });
      expect((await store.apiKeyGetByHash(admin.keyHash))?.revokedAt).toBeNull();
      expect((await store.apiKeyRevoke(w.acme.id, testAdmin.id, T0 + 100)).result).toBe('revoked');
      expect((await store.apiKeyRevoke(w.acme.id, expiredAdmin.id, T0 + 100)).result).toBe('revoked');
      expect((await store.apiKeyRevoke(w.globex.id, theirs.id, T0 + 100)).result).toBe('last_admin_key');
    });

    it('keeps console sessions with their key, sweeps expired ones and deletes on sign-out', async () => {
      const key = keyOf(w.acme, 1, { role: 'runner' });
      await store.apiKeyInsert(key);
      const session = (n: number, createdAt: number) => ({
        tokenHash: `session_${n}`,
        keyId: key.id,
        csrfToken: `csrf_${n}`,
        createdAt,
        expiresAt: createdAt + 1_000,
      });
      await store.consoleSessionInsert(session(1, T0));
      expect(await store.consoleSessionGet('session_1')).toEqual({ session: session(1, T0), key });
      expect(await store.consoleSessionGet('session_unknown')).toBeNull();
      // The key's state is read live: a revoked key shows as revoked through its session.
      await store.apiKeyRevokeUnscoped(key.id, T0 + 10);
      expect((await store.consoleSessionGet('session_1'))?.key.revokedAt).toBe(T0 + 10);
      // A later sign-in sweeps sessions that expired by then.
      await store.consoleSessionInsert(session(2, T0 + 1_000));
      expect(await store.consoleSessionGet('session_1')).toBeNull();
      await store.consoleSessionDelete('session_2');
      expect(await store.consoleSessionGet('session_2')).toBeNull();
    });

    it('lets only one of two admins revoking each other at once win', async () => {
      const first = keyOf(w.acme, 1);
      const second = keyOf(w.acme, 2);
      await store.apiKeyInsert(first);
      await store.apiKeyInsert(second);
      const outcomes = await Promise.all([
        store.apiKeyRevoke(w.acme.id, first.id, T0 + 100),
        store.apiKeyRevoke(w.acme.id, second.id, T0 + 100),
      ]);
      expect(outcomes.map((o) => o.result).sort()).toEqual(['last_admin_key', 'revoked']);
    });
  });
});
