/**
 * Live and test mode (SPEC §9.1): a test key (`smz_test_`) lives in the sandbox world. It cannot
 * change Kits or Bricks, manages only test-mode webhook endpoints, and its runs' events reach only
 * those; a live key never sees, changes or receives anything of the test world's endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

type Json = Record<string, unknown>;

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';
const BRICK = {
  key: 'security_review',
  name: 'Security review mentioned',
  engine: 'tracker',
  tracker: { phrases: ['security review'] },
  output: { type: 'boolean' },
};

let t: TestServer;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  t = await startTestServer({ config: { allowPrivateWebhooks: true, maxWebhookEndpoints: 3 } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await t?.close();
});

async function endpointFor(key: string): Promise<{ id: string; receiver: WebhookReceiver; body: Json }> {
  const receiver = await WebhookReceiver.start();
  receivers.push(receiver);
  const res = await t.api('/v1/webhooks', { key, body: { url: receiver.url } });
  expect(res.status, res.text).toBe(201);
  return { id: res.body['id'] as string, receiver, body: res.body };
}

async function syncRun(key: string, type = 'api'): Promise<Json> {
  const res = await t.api('/v1/runs', {
    key,
    body: { kit_code: 'A1B2C3D4', mode: 'sync', type, input: { transcript: TRANSCRIPT } },
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Deliveries of an endpoint, read with a key of its mode (all exist once the run is terminal). */
async function deliveries(key: string, endpointId: string): Promise<Json[]> {
  const res = await t.api<{ data: Json[] }>(`/v1/webhooks/${endpointId}/deliveries`, { key });
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}

describe('test keys and Kits', () => {
  it('cannot write Kits or Bricks: 403 forbidden with reason test_mode, and nothing changes', async () => {
    const kits = (await t.api<{ data: Json[] }>('/v1/kits')).body.data;
    const starter = (await t.api<Json & { latest_version: Json }>('/v1/kits/A1B2C3D4')).body;
    const writes: [string, Json | undefined][] = [
      ['/v1/bricks', BRICK],
      [
        '/v1/bricks/talk_ratio/versions',
        { name: 'Talk ratio', engine: 'metric', metric: { name: 'talk_ratio' } },
      ],
      ['/v1/kits', { name: 'Sandbox Kit', bricks: [{ key: 'talk_ratio' }] }],
      ['/v1/kits/A1B2C3D4/versions', { name: 'Changed by a test key' }],
      [`/v1/kits/A1B2C3D4/versions/${String(starter.latest_version['kit_version_id'])}/publish`, undefined],
    ];
    for (const [path, body] of writes) {
      const res = await t.api(path, { key: t.testKey, method: 'POST', ...(body ? { body } : {}) });
      expect(res.status, `${path}: ${res.text}`).toBe(403);
      expect(res.body['error']).toBe('forbidden');
      expect(res.body['detail']).toEqual({ reason: 'test_mode' });
    }
    expect((await t.api('/v1/bricks/security_review')).status).toBe(404);
    expect((await t.api<{ data: Json[] }>('/v1/kits')).body.data).toEqual(kits);
    expect((await t.api('/v1/kits/A1B2C3D4')).body).toEqual(starter);
  });

  it('reads Kits and Bricks, and may try a request with POST /v1/test', async () => {
    expect((await t.api('/v1/kits/A1B2C3D4', { key: t.testKey })).status).toBe(200);
    expect((await t.api('/v1/bricks/talk_ratio', { key: t.testKey })).status).toBe(200);
    const tried = await t.api('/v1/test', {
      key: t.testKey,
      body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } },
    });
    expect(tried.status, tried.text).toBe(200);
  });

  it('a runner key is refused for its role, named as such', async () => {
    const res = await t.api('/v1/bricks', { key: t.runnerKey, body: BRICK });
    expect(res.status).toBe(403);
    expect(res.body['detail']).toMatchObject({ reason: 'role' });
  });
});

describe('webhook endpoints belong to a mode', () => {
  it('events reach only the endpoints of the run mode; each key sees only its mode', async () => {
    const live = await endpointFor(t.liveKey);
    const test = await endpointFor(t.testKey);
    expect(live.body['mode']).toBe('live');
    expect(test.body['mode']).toBe('test');

    // Listing: each key sees its own mode's endpoints only.
    const listed = async (key: string) =>
      (await t.api<{ data: Json[] }>('/v1/webhooks', { key })).body.data.map((e) => e['id']);
    expect(await listed(t.liveKey)).toEqual([live.id]);
    expect(await listed(t.testKey)).toEqual([test.id]);

    // A live api run: delivered to the live endpoint, and no delivery exists for the test one.
    const apiRun = await syncRun(t.liveKey);
    await waitFor(async () => (live.receiver.received.length > 0 ? true : null), 15_000, 'the live delivery');
    expect((await deliveries(t.liveKey, live.id)).map((d) => d['run_id'])).toEqual([apiRun['run_id']]);
    expect(await deliveries(t.testKey, test.id)).toEqual([]);

    // A test key's run (always sandbox): delivered to the test endpoint only.
    const sandboxRun = await syncRun(t.testKey);
    expect(sandboxRun['run_type']).toBe('sandbox');
    await waitFor(async () => (test.receiver.received.length > 0 ? true : null), 15_000, 'the test delivery');
    const event = JSON.parse(test.receiver.received[0]!.body) as { data: Json };
    expect(event.data['run_id']).toBe(sandboxRun['run_id']);
    // A live key's sandbox run is a test-world run too.
    const liveSandbox = await syncRun(t.liveKey, 'sandbox');
    expect((await deliveries(t.testKey, test.id)).map((d) => d['run_id'])).toEqual([
      liveSandbox['run_id'],
      sandboxRun['run_id'],
    ]);
    expect((await deliveries(t.liveKey, live.id)).map((d) => d['run_id'])).toEqual([apiRun['run_id']]);
    expect(live.receiver.received).toHaveLength(1);

    // Every route on the other mode's endpoint answers as if it did not exist, and changes nothing.
    for (const [key, id] of [
      [t.testKey, live.id],
      [t.liveKey, test.id],
    ] as const) {
      for (const [method, path, body] of [
        ['GET', `/v1/webhooks/${id}`, undefined],
        ['PATCH', `/v1/webhooks/${id}`, { url: 'http://127.0.0.1:1/elsewhere' }],
        ['POST', `/v1/webhooks/${id}/rotate-secret`, undefined],
        ['POST', `/v1/webhooks/${id}/test`, undefined],
        ['GET', `/v1/webhooks/${id}/deliveries`, undefined],
        ['DELETE', `/v1/webhooks/${id}`, undefined],
      ] as const) {
        const res = await t.api(path, { key, method, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body['error']).toBe('webhook_not_found');
      }
    }
    expect((await t.api(`/v1/webhooks/${live.id}`)).body['url']).toBe(live.receiver.url);
    expect((await t.api(`/v1/webhooks/${test.id}`, { key: t.testKey })).body['url']).toBe(test.receiver.url);

    // A delivery of the other mode cannot be redelivered (or found) either.
    const [liveDelivery] = await deliveries(t.liveKey, live.id);
    const redeliver = await t.api(`/v1/webhook-deliveries/${String(liveDelivery!['id'])}/redeliver`, {
      key: t.testKey,
      method: 'POST',
    });
    expect(redeliver.status).toBe(404);
    expect(redeliver.body['error']).toBe('delivery_not_found');

    for (const [key, id] of [
      [t.liveKey, live.id],
      [t.testKey, test.id],
    ] as const) {
      expect((await t.api(`/v1/webhooks/${id}`, { key, method: 'DELETE' })).status).toBe(200);
    }
  });

  it('a workspace has at most the configured number of endpoints per mode: 409 limit_reached', async () => {
    const made: [string, string][] = [];
    for (let i = 0; i < 3; i++) made.push([t.liveKey, (await endpointFor(t.liveKey)).id]);
    const refused = await t.api('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hooks' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'limit_reached',
      detail: { reason: 'webhook_endpoints', limit: 3, mode: 'live' },
    });
    expect((await t.api<{ data: Json[] }>('/v1/webhooks')).body.data).toHaveLength(3);
    // The test mode counts its own endpoints.
    made.push([t.testKey, (await endpointFor(t.testKey)).id]);
    // Deleting one frees a place.
    const [key, id] = made.shift()!;
    await t.api(`/v1/webhooks/${id}`, { key, method: 'DELETE' });
    made.push([t.liveKey, (await endpointFor(t.liveKey)).id]);
    for (const [k, e] of made) await t.api(`/v1/webhooks/${e}`, { key: k, method: 'DELETE' });
  });
});

describe('Kit codes per workspace', () => {
  it("every workspace runs the starter Kits under their codes; another workspace's run is its own", async () => {
    const theirs = await t.api('/v1/runs', {
      key: t.otherWorkspaceKey,
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body['status']).toBe('succeeded');
    const ours = (await t.api<Json & { latest_version: Json }>('/v1/kits/A1B2C3D4')).body;
    expect(theirs.body['kit_version_id']).not.toBe(ours.latest_version['kit_version_id']);
    // Their run is invisible to us.
    expect((await t.api(`/v1/runs/${String(theirs.body['run_id'])}`)).status).toBe(404);
  });
});
