import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../server/test/support/http-client.ts';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { WebhookReceiver } from '../../server/test/support/webhook-receiver.ts';
import {
  BadRequestError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  Semarize,
  type WebhookDelivery,
} from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';
import { virtualClock } from './support/virtual-clock.ts';

let t: TestServer;
let receiver: WebhookReceiver;
let sdk: Semarize;

beforeAll(async () => {
  t = await startTestServer({ config: { allowPrivateWebhooks: true } });
  receiver = await WebhookReceiver.start();
  sdk = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';

/** The first delivery the receiver got, from now on, that `matches` its parsed body. */
async function nextDelivery(matches: (event: { type: string; data: { run_id?: string } }) => boolean) {
  const seen = receiver.received.length;
  return () =>
    waitFor(
      async () => receiver.received.slice(seen).find((d) => matches(JSON.parse(d.body))),
      20_000,
      'a delivery',
    );
}

describe('webhook endpoints through the SDK, against the real server', () => {
  it('create returns the secret once; list, get and update show the endpoint without it', async () => {
    const created = await sdk.webhookEndpoints.create({
      url: receiver.url,
      events: ['run.failed'],
      payload: 'thin',
      description: 'CRM sync',
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ object: 'webhook_endpoint', url: receiver.url, enabled: true });

    const fetched = await sdk.webhookEndpoints.get(created.id);
    expect(fetched).not.toHaveProperty('secret');
    const { secret: _secret, ...withoutSecret } = created;
    expect(fetched).toEqual(withoutSecret);
    expect((await sdk.webhookEndpoints.list()).map((e) => e.id)).toContain(created.id);

    const updated = await sdk.webhookEndpoints.update(created.id, {
      events: ['run.succeeded'],
      payload: 'full',
    });
    expect(updated).toMatchObject({
      id: created.id,
      events: ['run.succeeded'],
      payload: 'full',
      description: 'CRM sync',
    });
    expect(await sdk.webhookEndpoints.get(created.id)).toEqual(updated);
    await sdk.webhookEndpoints.delete(created.id);
  });

  it('a test ping and a run event arrive signed with the secret; deliveries list both with their attempts', async () => {
    const endpoint = await sdk.webhookEndpoints.create({ url: receiver.url });
    const ping = await nextDelivery((e) => e.type === 'ping');
    const queued = await sdk.webhookEndpoints.sendTest(endpoint.id);
    expect(queued).toMatchObject({ object: 'webhook_delivery', webhook_id: endpoint.id, event_type: 'ping' });
    const pinged = await ping();
    await expect(sdk.webhooks.verify(pinged.body, pinged.headers, endpoint.secret)).resolves.toMatchObject({
      type: 'ping',
    });

    const run = await sdk.runs.createAndWait({ kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } });
    const delivered = await (await nextDelivery((e) => e.data.run_id === run.run_id))();
    await expect(
      sdk.webhooks.verify(delivered.body, delivered.headers, endpoint.secret),
    ).resolves.toMatchObject({
      type: 'run.succeeded',
    });

    // Every delivery, across pages of one, newest first, each with its attempt log.
    const all: WebhookDelivery[] = await waitFor(
      async () => {
        const list: WebhookDelivery[] = [];
        for await (const d of sdk.webhookEndpoints.deliveries(endpoint.id, { limit: 1 })) list.push(d);
        return list.every((d) => d.status === 'succeeded') && list.length >= 2 ? list : null;
      },
      20_000,
      'both deliveries recorded as succeeded',
    );
    expect(all.map((d) => d.event_type)).toEqual(['run.succeeded', 'ping']);
    expect(all[0]).toMatchObject({ run_id: run.run_id, attempts: 1, last_status_code: 200 });
    expect(all[0]!.attempt_log).toHaveLength(1);

    // Redelivery sends the same event again, under the same delivery id.
    const again = await nextDelivery((e) => e.data.run_id === run.run_id);
    const redelivered = await sdk.webhookEndpoints.redeliver(all[0]!.id);
    expect(redelivered.id).toBe(all[0]!.id);
    const second = await again();
    expect(second.headers['semarize-delivery-id']).toBe(all[0]!.id);
    expect(second.headers['semarize-event-id']).toBe(delivered.headers['semarize-event-id']);
    await sdk.webhookEndpoints.delete(endpoint.id);
  });

  it('rotateSecret returns a new secret; during the overlap a delivery verifies with either', async () => {
    const endpoint = await sdk.webhookEndpoints.create({ url: receiver.url });
    const rotated = await sdk.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();
    const ping = await nextDelivery((e) => e.type === 'ping');
    await sdk.webhookEndpoints.sendTest(endpoint.id);
    const delivery = await ping();
    for (const secret of [endpoint.secret, rotated.secret]) {
      await expect(sdk.webhooks.verify(delivery.body, delivery.headers, secret)).resolves.toMatchObject({
        type: 'ping',
      });
      // Independent check: the Standard Webhooks library accepts the same delivery.
      const headers = delivery.headers as Record<string, string>;
      expect(() => new Webhook(secret.slice('whsec_'.length)).verify(delivery.body, headers)).not.toThrow();
    }
    await sdk.webhookEndpoints.delete(endpoint.id);
  });

  it('errors are typed: bad fields, unknown ids, deleted endpoints and non-admin keys', async () => {
    const bad = await sdk.webhookEndpoints
      .create({ url: receiver.url, events: ['run.started' as 'run.failed'] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).code).toBe('invalid_request');

    const endpoint = await sdk.webhookEndpoints.create({ url: receiver.url });
    expect(await sdk.webhookEndpoints.delete(endpoint.id)).toEqual({
      id: endpoint.id,
      object: 'webhook_endpoint',
      deleted: true,
    });
    const gone = await sdk.webhookEndpoints.get(endpoint.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as NotFoundError).code).toBe('webhook_not_found');
    await expect(sdk.webhookEndpoints.redeliver('dlv_missing')).rejects.toThrow(NotFoundError);

    const runner = new Semarize({ apiKey: t.runnerKey, baseUrl: t.url });
    await expect(runner.webhookEndpoints.list()).rejects.toThrow(PermissionDeniedError);
  });

  it('a write that must not happen twice is not repeated when its answer is lost; a read is', async () => {
    const endpoint = await sdk.webhookEndpoints.create({ url: receiver.url });
    const before = (await sdk.webhookEndpoints.list()).length;
    // The server rotates, then the answer is lost: repeating would rotate again and lose this secret.
    const lossy = recordingFetch((_request, index) => (index === 0 ? 'drop-response' : 'pass'));
    const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: lossy.fetch });
    await expect(client.webhookEndpoints.rotateSecret(endpoint.id)).rejects.toThrow(ConnectionError);
    expect(lossy.sent).toHaveLength(1);

    const lossyCreate = recordingFetch((_request, index) => (index === 0 ? 'drop-response' : 'pass'));
    const creator = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: lossyCreate.fetch });
    await expect(creator.webhookEndpoints.create({ url: receiver.url })).rejects.toThrow(ConnectionError);
    expect(lossyCreate.sent).toHaveLength(1);
    expect((await sdk.webhookEndpoints.list()).length).toBe(before + 1);

    const lossyRead = recordingFetch((_request, index) => (index === 0 ? 'drop-response' : 'pass'));
    const clock = virtualClock();
    const reader = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: lossyRead.fetch, clock });
    expect((await reader.webhookEndpoints.get(endpoint.id)).id).toBe(endpoint.id);
    expect(lossyRead.sent).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
  });
});
