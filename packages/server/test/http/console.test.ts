import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

/** Signs in with `key` and returns the cookie pair and CSRF token the console would hold. */
async function signIn(key: string) {
  const res = await t.api('/console/session', { key: null, body: { api_key: key } });
  expect(res.status).toBe(201);
  const setCookie = res.headers.get('set-cookie')!;
  return {
    setCookie,
    cookie: setCookie.split(';')[0]!,
    csrf: res.body['csrf_token'] as string,
    body: res.body,
  };
}

describe('console sign-in and sessions (SPEC §12)', () => {
  it('exchanges a key for an HttpOnly, SameSite=Strict cookie of 12 hours', async () => {
    const { setCookie, body } = await signIn(t.runnerKey);
    expect(setCookie).toMatch(
      /^semarize_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    expect(body).toMatchObject({ object: 'console_session', key: { role: 'runner', mode: 'live' } });
    expect(JSON.stringify(body)).not.toContain(t.runnerKey);
  });

  it('refuses an unknown key and leaves no cookie', async () => {
    const res = await t.api('/console/session', { key: null, body: { api_key: 'smz_live_nope' } });
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('invalid_api_key');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a sign-in posted from another origin', async () => {
    const res = await t.api('/console/session', {
      key: null,
      body: { api_key: t.liveKey },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('a session reads the /v1 API as its key, and writes only with its CSRF token', async () => {
    const { cookie, csrf } = await signIn(t.runnerKey);
    expect((await t.api('/v1/runs', { key: null, headers: { cookie } })).status).toBe(200);
    const run = { kit_code: 'A1B2C3D4', type: 'sandbox', input: { transcript: 'A: hi\nB: hello' } };
    const without = await t.api('/v1/runs', { key: null, headers: { cookie }, body: run });
    expect(without.status).toBe(403);
    expect(without.body['error']).toBe('csrf_token_invalid');
    const wrong = await t.api('/v1/runs', {
      key: null,
      headers: { cookie, 'x-csrf-token': `${csrf}x` },
      body: run,
    });
    expect(wrong.body['error']).toBe('csrf_token_invalid');
    const ok = await t.api('/v1/runs', { key: null, headers: { cookie, 'x-csrf-token': csrf }, body: run });
    expect(ok.status).toBe(202);
    // Exactly what its key may do: a runner session cannot manage keys.
    const keys = await t.api('/v1/keys', { key: null, headers: { cookie } });
    expect(keys.status).toBe(403);
  });

  it('a test-key session sees the sandbox world only', async () => {
    const { cookie } = await signIn(t.testKey);
    const res = await t.api<{ data: { run_type: string }[] }>('/v1/runs', { key: null, headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.body.data.every((r) => r.run_type === 'sandbox')).toBe(true);
  });

  it('ends every session of a key when the key is revoked', async () => {
    const created = await t.api('/v1/keys', { body: { role: 'runner' } });
    const { cookie } = await signIn(created.body['secret'] as string);
    expect((await t.api('/console/session', { key: null, headers: { cookie } })).status).toBe(200);
    await t.api(`/v1/keys/${created.body['id']}/revoke`, { method: 'POST' });
    const after = await t.api('/v1/runs', { key: null, headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body['error']).toBe('invalid_api_key');
    expect((await t.api('/console/session', { key: null, headers: { cookie } })).status).toBe(401);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const { cookie, csrf } = await signIn(t.runnerKey);
    const refused = await t.api('/console/session', { key: null, method: 'DELETE', headers: { cookie } });
    expect(refused.status).toBe(403);
    const res = await t.api('/console/session', {
      key: null,
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^semarize_session=; .*Max-Age=0/);
    const after = await t.api('/v1/runs', { key: null, headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body['error']).toBe('session_expired');
  });
});

describe('console files', () => {
  it('/ redirects to the console, served with an import map and a strict CSP', async () => {
    const root = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console');
    const page = await fetch(`${t.url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'sha256-");
    const html = await page.text();
    const map = JSON.parse(/<script type="importmap">(.*?)<\/script>/.exec(html)![1]!) as {
      imports: Record<string, string>;
    };
    expect(Object.keys(map.imports).sort()).toEqual(['htm', 'preact', 'preact/hooks']);
    // Everything the page loads is on this server.
    expect(html).not.toMatch(/https?:\/\//);
    const vendor = await fetch(`${t.url}${map.imports['preact']}`);
    expect(vendor.status).toBe(200);
    expect(vendor.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(vendor.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves its own files with an ETag and answers 304 when unchanged', async () => {
    const first = await fetch(`${t.url}/console/assets/app.js`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${t.url}/console/assets/app.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${t.url}/console/assets/nope.js`)).status).toBe(404);
  });

  it('SEMARIZE_CONSOLE=0 turns it off: / goes to the reference again', async () => {
    const off = await startTestServer({ config: { console: false } });
    try {
      expect((await fetch(`${off.url}/console`)).status).toBe(404);
      const root = await fetch(`${off.url}/`, { redirect: 'manual' });
      expect(root.headers.get('location')).toBe('/docs');
      expect((await off.api('/console/session', { key: null, body: { api_key: off.liveKey } })).status).toBe(
        404,
      );
    } finally {
      await off.close();
    }
  });
});
