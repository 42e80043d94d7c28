import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createIdGenerator } from '../../src/ids.ts';
import { createApiKey } from '../../src/keys/create-api-key.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

const RUN = { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hello?\nProspect: Hi.' } };

async function newKey(options: { expiresAt?: number | null; revoke?: boolean } = {}) {
  const workspace = (await t.server.store.workspaceGetByName('default'))!;
  const deps = { store: t.server.store, clock: systemClock, ids: createIdGenerator(systemClock) };
  const { secret, record } = await createApiKey(deps, {
    workspaceId: workspace.id,
    mode: 'live',
    role: 'runner',
    expiresAt: options.expiresAt ?? null,
  });
  if (options.revoke) await t.server.store.apiKeyRevokeUnscoped(record.id, Date.now());
  return secret;
}

describe('authentication', () => {
  it('answers 401 missing_bearer_token without an Authorization header, in the flat error shape', async () => {
    const res = await t.api('/v1/runs', { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ error: 'missing_bearer_token', message: expect.any(String) });
    expect(res.body['request_id']).toBe(res.headers.get('x-request-id'));
    expect(Object.keys(res.body)[0]).toBe('error');
  });

  it('answers 401 missing_bearer_token for a malformed header', async () => {
    for (const header of ['Token abc', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a b']) {
      const res = await t.api('/v1/runs', { key: null, headers: { authorization: header } });
      expect(res.status, header).toBe(401);
      expect(res.body['error'], header).toBe('missing_bearer_token');
    }
  });

  it('answers 401 invalid_api_key for an unknown key', async () => {
    const res = await t.api('/v1/runs', { key: 'smz_live_00000000000000000000000000000000' });
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('invalid_api_key');
  });

  it('answers 401 invalid_api_key for a revoked key, which worked before revocation', async () => {
    const key = await newKey();
    expect((await t.api('/v1/runs', { key })).status).toBe(200);
    const revoked = await newKey({ revoke: true });
    const res = await t.api('/v1/runs', { key: revoked });
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('invalid_api_key');
  });

  it('answers 401 api_key_expired for an expired key, and accepts one not yet expired', async () => {
    const expired = await newKey({ expiresAt: Date.now() - 1_000 });
    const res = await t.api('/v1/runs', { key: expired });
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('api_key_expired');
    const fresh = await newKey({ expiresAt: Date.now() + 3_600_000 });
    expect((await t.api('/v1/runs', { key: fresh })).status).toBe(200);
  });

  it('lets a runner key create, read and cancel runs', async () => {
    const created = await t.api('/v1/runs', { key: t.runnerKey, body: RUN });
    expect(created.status).toBe(202);
    const runId = created.body['run_id'] as string;
    expect((await t.api(`/v1/runs/${runId}`, { key: t.runnerKey })).status).toBe(200);
  });
});

describe('request ids', () => {
  it('echoes a client X-Request-Id on success and on errors', async () => {
    const ok = await t.api('/v1/runs', { headers: { 'x-request-id': 'client-trace-42' } });
    expect(ok.headers.get('x-request-id')).toBe('client-trace-42');
    const err = await t.api('/v1/runs/run_nope', { headers: { 'x-request-id': 'client-trace-43' } });
    expect(err.headers.get('x-request-id')).toBe('client-trace-43');
    expect(err.body['request_id']).toBe('client-trace-43');
  });

  it('generates req_ ids when none or an unusable one is sent', async () => {
    const none = await t.api('/v1/runs');
    expect(none.headers.get('x-request-id')).toMatch(/^req_[0-9A-Z]{26}$/);
    const tooLong = await t.api('/v1/runs', { headers: { 'x-request-id': 'x'.repeat(129) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^req_/);
    const other = await t.api('/v1/runs');
    expect(other.headers.get('x-request-id')).not.toBe(none.headers.get('x-request-id'));
  });
});

describe('malformed HTTP', () => {
  it('a request Node cannot parse gets a 400 in the catalog shape, not a framework body', async () => {
    const { port } = new URL(t.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET /v1/runs HTTP/1.1\r\nHost: x\r\nBroken Header Line\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw.startsWith('HTTP/1.1 400')).toBe(true);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_request', request_id: expect.stringMatching(/^req_/) });
  });
});

describe('routing', () => {
  it('answers 404 not_found in the error shape for an unknown route', async () => {
    const res = await t.api('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body['error']).toBe('not_found');
  });
});
