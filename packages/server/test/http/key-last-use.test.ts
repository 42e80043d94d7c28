import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_USE_RESOLUTION_MS } from '../../src/keys/key-usage.ts';
import { openStore } from '../../src/server.ts';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Key = { id: string; last_used_at: string | null };

/** The server's clock, moved by the test: uses a minute apart without waiting a minute. */
const clock = { at: Date.parse('2026-03-02T09:00:00.000Z'), now: () => clock.at };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock });
});
afterAll(async () => t?.close());

async function newKey(name: string): Promise<{ id: string; secret: string }> {
  const res = await t.api('/v1/keys', { body: { role: 'runner', name } });
  expect(res.status, res.text).toBe(201);
  expect(res.body['last_used_at']).toBeNull();
  return { id: res.body['id'] as string, secret: res.body['secret'] as string };
}

async function lastUse(id: string): Promise<string | null> {
  const list = await t.api<{ data: Key[] }>('/v1/keys');
  return list.body.data.find((k) => k.id === id)!.last_used_at;
}

describe('API keys: last use (GET /v1/keys last_used_at)', () => {
  it('shows a key’s last use, written at most once a minute per key', async () => {
    const a = await newKey('A');
    const b = await newKey('B');
    const t0 = clock.at;
    expect((await t.api('/v1/runs', { key: a.secret })).status).toBe(200);
    // Written off the request path, within about a second.
    await waitFor(async () => (await lastUse(a.id)) === new Date(t0).toISOString(), 10_000, 'A used');
    expect(await lastUse(b.id)).toBeNull();

    clock.at = t0 + 30_000;
    expect((await t.api('/v1/runs', { key: a.secret })).status).toBe(200); // within A's minute
    expect((await t.api('/v1/runs', { key: b.secret })).status).toBe(200); // B's first use
    clock.at = t0 + KEY_USE_RESOLUTION_MS + 1_000;
    expect((await t.api('/v1/runs', { key: a.secret })).status).toBe(200); // a minute after A's last write
    expect((await t.api('/v1/runs', { key: b.secret })).status).toBe(200); // within B's minute

    // Closing writes what is pending; then the store holds exactly the uses that were written.
    await t.server.close();
    const store = openStore(t.config);
    try {
      const keys = await store.apiKeyList(null);
      const used = (id: string) => keys.find((k) => k.id === id)!.lastUsedAt;
      expect(used(a.id)).toBe(t0 + KEY_USE_RESOLUTION_MS + 1_000);
      expect(used(b.id)).toBe(t0 + 30_000);
    } finally {
      await store.close();
    }
  });
});
