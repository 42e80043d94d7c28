import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.ts';
import { ROUTES } from '../../src/http/route-table.ts';
import { waitFor } from '../support/http-client.ts';
import { seenStatuses } from '../support/openapi-check.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

// Every answer of t.api is checked against the document (support/openapi-check.ts); this file
// makes sure every operation is among them, and checks what webhook receivers get too.

let t: TestServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await startTestServer({ config: { allowPrivateWebhooks: true } });
  receiver = await WebhookReceiver.start();
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const transcript = 'Rep: Hi, what brings you here?\nProspect: Our renewal is in March.';

describe('the OpenAPI document against real answers', () => {
  it('every operation answers what the document says', async () => {
    expect((await t.api('/healthz', { key: null })).status).toBe(200);
    expect((await t.api('/readyz', { key: null })).status).toBe(200);

    const created = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript } },
      headers: { 'Idempotency-Key': 'conformance-1' },
    });
    expect(created.status).toBe(202);
    const runId = created.body['run_id'] as string;
    const replay = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript } },
      headers: { 'Idempotency-Key': 'conformance-1' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const sync = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript } },
      headers: { Prefer: 'wait=20' },
    });
    expect(sync.status).toBe(200);
    expect(sync.headers.get('preference-applied')).toBe('wait=20');
    expect((await t.api(`/v1/runs/${runId}`, { headers: { Prefer: 'wait=20' } })).status).toBe(200);
    expect((await t.api(`/v1/runs/${runId}?include=conversation`)).status).toBe(200);
    expect((await t.api('/v1/runs?include=output')).status).toBe(200);
    expect((await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST' })).status).toBe(409);
    // A run that cannot finish first (the test Kit's engine sleeps), so the cancel answers 200.
    const queued = await t.api('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 30_000 } },
    });
    const cancel = await t.api(`/v1/runs/${queued.body['run_id']}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect((await t.api('/v1/runs/run_nope')).status).toBe(404);
    expect((await t.api('/v1/runs', { body: { input: {} } })).status).toBe(400);
    expect((await t.api('/v1/runs', { key: null })).status).toBe(401);
    expect((await t.api('/v1/test', { body: { kit_code: 'A1B2C3D4', input: { transcript } } })).status).toBe(
      200,
    );

    const brick = await t.api('/v1/bricks', {
      body: {
        key: 'conformance_brick',
        name: 'Renewal mentioned',
        description: 'Does the prospect mention a renewal?',
        engine: 'tracker',
        output: { type: 'boolean' },
        tracker: { phrases: ['renewal'] },
      },
    });
    expect(brick.status).toBe(201);
    expect((await t.api('/v1/bricks')).status).toBe(200);
    expect((await t.api('/v1/bricks/conformance_brick')).status).toBe(200);
    const version = await t.api('/v1/bricks/conformance_brick/versions', {
      body: {
        ...(brick.body as object),
        key: undefined,
        object: undefined,
        version: undefined,
        created_at: undefined,
        versions: undefined,
        name: 'Renewal named',
      },
    });
    expect(version.status).toBe(201);
    expect((await t.api('/v1/bricks', { key: t.testKey, body: {} })).status).toBe(403);

    const kit = await t.api('/v1/kits', {
      body: { name: 'Conformance', bricks: [{ key: 'conformance_brick' }] },
    });
    expect(kit.status).toBe(201);
    const code = kit.body['kit_code'] as string;
    expect((await t.api('/v1/kits')).status).toBe(200);
    expect((await t.api(`/v1/kits/${code}`)).status).toBe(200);
    const draft = await t.api(`/v1/kits/${code}/versions`, { method: 'POST' });
    expect(draft.status).toBe(201);
    const published = await t.api(`/v1/kits/${code}/versions/${draft.body['kit_version_id']}/publish`, {
      method: 'POST',
    });
    expect(published.status).toBe(200);
    expect((await t.api(`/v1/kits/schema?kit_code=${code}`)).status).toBe(200);
    expect((await t.api('/v1/kits/schema')).status).toBe(400);

    const endpoint = await t.api('/v1/webhooks', { body: { url: receiver.url } });
    expect(endpoint.status).toBe(201);
    const id = endpoint.body['id'] as string;
    expect((await t.api('/v1/webhooks')).status).toBe(200);
    expect((await t.api(`/v1/webhooks/${id}`)).status).toBe(200);
    expect((await t.api(`/v1/webhooks/${id}`, { method: 'PATCH', body: { description: 'x' } })).status).toBe(
      200,
    );
    expect((await t.api(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST' })).status).toBe(200);
    const ping = await t.api(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(ping.status).toBe(202);
    await waitFor(async () => receiver.received.length > 0, 20_000, 'the ping');
    expect((await t.api(`/v1/webhooks/${id}/deliveries`)).status).toBe(200);
    expect(
      (await t.api(`/v1/webhook-deliveries/${ping.body['id']}/redeliver`, { method: 'POST' })).status,
    ).toBe(202);
    const finished = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript } },
    });
    await waitFor(
      async () => receiver.received.some((d) => d.body.includes(finished.body['run_id'] as string)),
      20_000,
      'the run event',
    );
    expect((await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.api(`/v1/webhooks/${id}`)).status).toBe(404);

    const key = await t.api('/v1/keys', { body: { role: 'runner', name: 'conformance' } });
    expect(key.status).toBe(201);
    expect((await t.api('/v1/keys')).status).toBe(200);
    expect((await t.api(`/v1/keys/${key.body['id']}/revoke`, { method: 'POST' })).status).toBe(200);
    expect((await t.api('/v1/keys', { key: t.testKey })).status).toBe(403);

    // Each operation answered at least one success, checked against its schema and headers.
    for (const route of ROUTES) {
      const statuses = [...(seenStatuses.get(route.operationId) ?? [])];
      expect(
        statuses.some((s) => s < 300),
        `${route.operationId} answered ${statuses}`,
      ).toBe(true);
    }
  });

  it('webhook bodies are the documented events', async () => {
    const doc = openApiDocument() as { components: object };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'openapi.json', ...doc });
    const ping = ajv.compile({ $ref: 'openapi.json#/components/schemas/PingEvent' });
    const run = ajv.compile({ $ref: 'openapi.json#/components/schemas/RunEvent' });
    const bodies = receiver.received.map((d) => JSON.parse(d.body) as { type: string });
    expect(bodies.map((b) => b.type)).toEqual(expect.arrayContaining(['ping', 'run.succeeded']));
    for (const body of bodies) {
      const validate = body.type === 'ping' ? ping : run;
      expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it('the request examples are valid requests', () => {
    for (const route of ROUTES) {
      for (const [name, example] of Object.entries(route.body?.examples ?? {})) {
        const parsed = route.body!.schema.safeParse((example as { value: unknown }).value);
        expect(parsed.success, `${route.operationId} example ${name}`).toBe(true);
      }
    }
  });
});
