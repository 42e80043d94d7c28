import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { signatureHeaders } from '../../server/src/webhooks/sign-delivery.ts';
import { newWebhookSecret } from '../../server/src/webhooks/webhook-secret.ts';
import { waitFor } from '../../server/test/support/http-client.ts';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { type ReceivedDelivery, WebhookReceiver } from '../../server/test/support/webhook-receiver.ts';
import { type RunErrorCode, type RunFailedEvent, Semarize, WebhookVerificationError } from '../src/index.ts';

const client = new Semarize({ apiKey: 'smz_live_verification_needs_no_key', baseUrl: 'http://127.0.0.1:1' });

const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const t0 = Math.floor(now / 1000);
const event = {
  id: 'evt_01',
  object: 'event',
  type: 'run.succeeded',
  created_at: '2026-11-28T12:00:00.000Z',
  data: { run_id: 'run_01', object: 'run', status: 'succeeded' },
};
const body = JSON.stringify(event);

function signed(secrets: string[], raw = body, timestampSeconds = t0) {
  return signatureHeaders({ eventId: 'evt_01', deliveryId: 'dlv_01', timestampSeconds, body: raw, secrets });
}

describe('webhooks.verify against the server signing module', () => {
  const secret = newWebhookSecret();
  const headers = signed([secret]);

  it('returns the typed event, from Fetch Headers, Node headers, bytes, or the Standard Webhooks headers alone', async () => {
    const verified = await client.webhooks.verify(body, new Headers(headers), secret, { now });
    expect(verified).toEqual(event);
    if (verified.type === 'run.succeeded') expectTypeOf(verified.data.status).toEqualTypeOf<'succeeded'>();
    if (verified.type === 'run.failed') expectTypeOf(verified.data.error_code).toEqualTypeOf<RunErrorCode>();

    const nodeStyle = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    await expect(client.webhooks.verify(body, nodeStyle, secret, { now })).resolves.toEqual(event);
    await expect(
      client.webhooks.verify(new TextEncoder().encode(body), headers, secret, { now }),
    ).resolves.toEqual(event);
    const { 'Semarize-Signature': _semarize, ...standardOnly } = headers;
    await expect(client.webhooks.verify(body, standardOnly, secret, { now })).resolves.toEqual(event);
  });

  it('rejects a tampered body, a wrong secret, a stale timestamp and a body that is not an event', async () => {
    const tampered = body.replace('succeeded', 'failed');
    await expect(client.webhooks.verify(tampered, headers, secret, { now })).rejects.toThrow(
      WebhookVerificationError,
    );
    const { 'Semarize-Signature': _semarize, ...standardOnly } = headers;
    await expect(client.webhooks.verify(tampered, standardOnly, secret, { now })).rejects.toThrow(
      /No signature matches/,
    );
    await expect(client.webhooks.verify(body, headers, newWebhookSecret(), { now })).rejects.toThrow(
      /No signature matches/,
    );
    await expect(client.webhooks.verify(body, headers, secret, { now: now + 301_000 })).rejects.toThrow(
      /tolerance/,
    );
    await expect(
      client.webhooks.verify(body, headers, secret, { now: now + 301_000, toleranceSeconds: 600 }),
    ).resolves.toEqual(event);
    const notAnEvent = '[1,2,3]';
    await expect(
      client.webhooks.verify(notAnEvent, signed([secret], notAnEvent), secret, { now }),
    ).rejects.toThrow(/not a Semarize event/);
    await expect(client.webhooks.verify(body, headers, '', { now })).rejects.toThrow(/No webhook secret/);
  });

  it('during a rotation the server signs with both secrets; either verifies, and a receiver may hold several', async () => {
    const previous = newWebhookSecret();
    const next = newWebhookSecret();
    const rotating = signed([next, previous]);
    expect(rotating['Semarize-Signature']!.match(/v1=/g)).toHaveLength(2);
    for (const s of [previous, next]) {
      await expect(client.webhooks.verify(body, rotating, s, { now })).resolves.toEqual(event);
    }
    // A receiver that has already moved to a secret the server does not sign with yet, and keeps the old one.
    const onlyOld = signed([previous]);
    await expect(
      client.webhooks.verify(body, onlyOld, [newWebhookSecret(), previous], { now }),
    ).resolves.toEqual(event);
  });
});

describe('verifying real deliveries from the server', () => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  let secret: string;
  let sdk: Semarize;

  beforeAll(async () => {
    t = await startTestServer({ config: { allowPrivateWebhooks: true } });
    receiver = await WebhookReceiver.start();
    const endpoint = await t.api('/v1/webhooks', { body: { url: receiver.url } });
    expect(endpoint.status).toBe(201);
    secret = endpoint.body['secret'] as string;
    sdk = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  const deliveryFor = (runId: string) =>
    waitFor(
      async () =>
        receiver.received.find(
          (d) => (JSON.parse(d.body) as { data: { run_id?: string } }).data.run_id === runId,
        ),
      20_000,
      `the delivery for ${runId}`,
    );

  it('a succeeded run: the delivery verifies and its event carries the same run as the API', async () => {
    const run = await sdk.runs.createAndWait({
      kit_code: 'A1B2C3D4',
      input: { transcript: 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.' },
    });
    const delivery: ReceivedDelivery = await deliveryFor(run.run_id);
    const verified = await sdk.webhooks.verify(delivery.body, delivery.headers, secret);
    expect(verified.type).toBe('run.succeeded');
    if (verified.type !== 'run.succeeded') throw new Error('narrowing');
    expect(verified.id).toBe(delivery.headers['semarize-event-id']);
    expect(verified.data).toEqual(await sdk.runs.get(run.run_id));

    const tampered = delivery.body.replace('"succeeded"', '"failed"');
    await expect(sdk.webhooks.verify(tampered, delivery.headers, secret)).rejects.toThrow(
      WebhookVerificationError,
    );
    await expect(sdk.webhooks.verify(delivery.body, delivery.headers, newWebhookSecret())).rejects.toThrow(
      WebhookVerificationError,
    );
  });

  it('a failed run arrives as a run.failed event with its error fields', async () => {
    const run = await sdk.runs.createAndWait({ kit_code: 'FA000001', input: { transcript: 'Rep: Hello.' } });
    const delivery = await deliveryFor(run.run_id);
    const verified = await sdk.webhooks.verify(delivery.body, delivery.headers, secret);
    expect(verified.type).toBe('run.failed');
    const failed = verified as RunFailedEvent;
    expect(failed.data).toMatchObject({ run_id: run.run_id, status: 'failed', error_code: 'model_error' });
  });
});
