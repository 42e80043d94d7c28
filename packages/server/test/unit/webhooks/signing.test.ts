import { verifyWebhook, WebhookVerificationError } from '@semarize/client';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../../src/webhooks/sign-delivery.ts';
import { newWebhookSecret } from '../../../src/webhooks/webhook-secret.ts';
import { handCheck } from '../../support/webhook-checks.ts';

const body = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'run.succeeded',
  created_at: '2026-11-28T00:00:00Z',
  data: { run_id: 'run_1' },
});
const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const t = Math.floor(now / 1000);

describe('webhook signing', () => {
  it('secrets are whsec_ + base64 of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBe(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('Semarize-Signature verifies with a hand-written HMAC; Standard Webhooks headers with the standardwebhooks library', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders({
      eventId: 'evt_1',
      deliveryId: 'dlv_1',
      timestampSeconds: t,
      body,
      secrets: [secret],
    });
    expect(headers['Semarize-Event-Id']).toBe('evt_1');
    expect(headers['Semarize-Delivery-Id']).toBe('dlv_1');
    expect(headers['Semarize-Timestamp']).toBe(String(t));
    expect(headers['Semarize-Signature']).toMatch(new RegExp(`^t=${t},v1=[0-9a-f]{64}$`));
    expect(handCheck(headers['Semarize-Signature']!, secret, body)).toBe(true);
    expect(handCheck(headers['Semarize-Signature']!, secret, `${body} `)).toBe(false);
    const wh = new Webhook(secret);
    // standardwebhooks checks the timestamp against the real clock: sign with the current time.
    const fresh = Math.floor(Date.now() / 1000);
    const live = signatureHeaders({
      eventId: 'evt_1',
      deliveryId: 'dlv_1',
      timestampSeconds: fresh,
      body,
      secrets: [secret],
    });
    expect(
      wh.verify(body, {
        'webhook-id': live['webhook-id']!,
        'webhook-timestamp': live['webhook-timestamp']!,
        'webhook-signature': live['webhook-signature']!,
      }),
    ).toMatchObject({ id: 'evt_1' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, live)).toThrow();
  });

  it('during a rotation both signatures are present and each verifies with its own secret', () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();
    const fresh = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders({
      eventId: 'evt_1',
      deliveryId: 'dlv_1',
      timestampSeconds: fresh,
      body,
      secrets: [newSecret, oldSecret],
    });
    expect(headers['Semarize-Signature']!.match(/v1=/g)?.length).toBe(2);
    expect(headers['webhook-signature']!.split(' ').length).toBe(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(handCheck(headers['Semarize-Signature']!, secret, body)).toBe(true);
      expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'run.succeeded' });
    }
  });
});

describe('verifyWebhook (for receivers)', () => {
  const secret = newWebhookSecret();
  const headers = signatureHeaders({
    eventId: 'evt_1',
    deliveryId: 'dlv_1',
    timestampSeconds: t,
    body,
    secrets: [secret],
  });

  it('returns the parsed event for a genuine delivery, from either signature', async () => {
    await expect(verifyWebhook(body, headers, secret, { now })).resolves.toMatchObject({
      id: 'evt_1',
      type: 'run.succeeded',
    });
    const { 'Semarize-Signature': _omit, ...standardOnly } = headers;
    await expect(verifyWebhook(body, standardOnly, secret, { now })).resolves.toMatchObject({ id: 'evt_1' });
    await expect(
      verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret, { now }),
    ).resolves.toMatchObject({ id: 'evt_1' });
  });

  it('rejects a tampered body, another secret, and a stale timestamp', async () => {
    await expect(
      verifyWebhook(body.replace('run_1', 'run_2'), headers, secret, { now }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook(body, headers, newWebhookSecret(), { now })).rejects.toThrow(
      /No signature matches/,
    );
    await expect(verifyWebhook(body, headers, secret, { now: now + 301_000 })).rejects.toThrow(/tolerance/);
    await expect(
      verifyWebhook(body, headers, secret, { now: now + 600_000, toleranceSeconds: 900 }),
    ).resolves.toBeTruthy();
    await expect(verifyWebhook(body, {}, secret, { now })).rejects.toThrow(/Missing/);
  });
});
