import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Json = Record<string, unknown>;
type KeyList = { object: string; data: Json[] };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

async function createKey(body: Json, key?: string) {
  return t.api('/v1/keys', { body, ...(key ? { key } : {}) });
}

describe('API key management (SPEC §12)', () => {
  it('creates a key whose secret is shown once and works at once', async () => {
    const res = await createKey({ role: 'runner', name: 'CI', expires_in: 3_600 });
    expect(res.status).toBe(201);
    const secret = res.body['secret'] as string;
    expect(secret).toMatch(/^smz_live_/);
    expect(res.body).toMatchObject({
      object: 'api_key',
      role: 'runner',
      mode: 'live',
      name: 'CI',
      revoked_at: null,
    });
    expect(res.body['hint']).toBe(`${secret.slice(0, 9)}…${secret.slice(-4)}`);
    const expiresIn =
      Date.parse(res.body['expires_at'] as string) - Date.parse(res.body['created_at'] as string);
    expect(expiresIn).toBe(3_600_000);

    expect((await t.api('/v1/runs', { key: secret })).status).toBe(200);
    const list = await t.api<KeyList>('/v1/keys');
    const listed = list.body.data.find((k) => k['id'] === res.body['id'])!;
    const { secret: _shownOnce, last_used_at: _unused, ...view } = res.body;
    // last_used_at is written within about a second of the use above (key-last-use.test.ts).
    const { last_used_at: _used, ...listedView } = listed;
    expect(listedView).toEqual(view);
    expect(_unused).toBeNull();
    // No listing ever carries a secret or a hash.
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toMatch(/"secret"|key_hash/);
  });

  it('creates test keys that see the sandbox world only', async () => {
    const res = await createKey({ role: 'admin', mode: 'test' });
    expect(res.status).toBe(201);
    expect(res.body['secret']).toMatch(/^smz_test_/);
    expect(res.body).toMatchObject({ mode: 'test', role: 'admin', name: null, expires_at: null });
  });

  it('refuses bad bodies with invalid_request and creates nothing', async () => {
    const before = (await t.api<KeyList>('/v1/keys')).body.data.length;
    for (const body of [
      {},
      { role: 'owner' },
      { role: 'runner', mode: 'staging' },
      { role: 'runner', expires_in: 10 },
      { role: 'runner', expires_in: 1.5 },
      { role: 'runner', name: '' },
      { role: 'runner', extra: true },
    ]) {
      const res = await createKey(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body['error']).toBe('invalid_request');
    }
    expect((await t.api<KeyList>('/v1/keys')).body.data.length).toBe(before);
  });

  it('is for admin live keys only', async () => {
    for (const key of [t.runnerKey, t.testKey]) {
      for (const [path, body] of [
        ['/v1/keys', undefined],
        ['/v1/keys', { role: 'runner' }],
        ['/v1/keys/key_x/revoke', {}],
      ] as const) {
        const res = await t.api(path, { key, ...(body ? { body } : {}) });
        expect(res.status).toBe(403);
        expect(res.body['error']).toBe('forbidden');
      }
    }
    expect((await t.api('/v1/keys', { key: null })).status).toBe(401);
  });

  it('revokes a key: it stops working at once, and revoking again changes nothing', async () => {
    const created = await createKey({ role: 'runner' });
    const id = created.body['id'] as string;
    const res = await t.api(`/v1/keys/${id}/revoke`, { body: {} });
    expect(res.status).toBe(200);
    expect(res.body['revoked_at']).toEqual(expect.any(String));
    const denied = await t.api('/v1/runs', { key: created.body['secret'] as string });
    expect(denied.status).toBe(401);
    expect(denied.body['error']).toBe('invalid_api_key');
    const again = await t.api(`/v1/keys/${id}/revoke`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.body['revoked_at']).toBe(res.body['revoked_at']);
  });

  it("does not revoke another workspace's key or an unknown one", async () => {
    const theirs = await t.api<KeyList>('/v1/keys', { key: t.otherWorkspaceKey });
    const theirId = theirs.body.data[0]!['id'] as string;
    for (const id of [theirId, 'key_unknown']) {
      const res = await t.api(`/v1/keys/${id}/revoke`, { method: 'POST' });
      expect(res.status).toBe(404);
      expect(res.body['error']).toBe('api_key_not_found');
    }
    expect((await t.api('/v1/keys', { key: t.otherWorkspaceKey })).status).toBe(200);
  });

  it("refuses to revoke the workspace's last live admin key with 409 last_admin_key", async () => {
    // The other workspace has exactly one live admin key: the one calling.
    const keys = await t.api<KeyList>('/v1/keys', { key: t.otherWorkspaceKey });
    const liveAdmins = keys.body.data.filter(
      (k) => k['mode'] === 'live' && k['role'] === 'admin' && !k['revoked_at'],
    );
    expect(liveAdmins).toHaveLength(1);
    const res = await t.api(`/v1/keys/${liveAdmins[0]!['id']}/revoke`, {
      key: t.otherWorkspaceKey,
      method: 'POST',
    });
    expect(res.status).toBe(409);
    expect(res.body['error']).toBe('last_admin_key');
    expect((await t.api('/v1/keys', { key: t.otherWorkspaceKey })).status).toBe(200);

    // With a second live admin key, it can go.
    const second = await createKey({ role: 'admin' }, t.otherWorkspaceKey);
    const ok = await t.api(`/v1/keys/${liveAdmins[0]!['id']}/revoke`, {
      key: t.otherWorkspaceKey,
      method: 'POST',
    });
    expect(ok.status).toBe(200);
    expect((await t.api('/v1/keys', { key: t.otherWorkspaceKey })).status).toBe(401);
    expect((await t.api('/v1/keys', { key: second.body['secret'] as string })).status).toBe(200);
  });
});
