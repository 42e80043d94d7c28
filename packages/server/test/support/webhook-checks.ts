import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

/**
 * An independent check of `Semarize-Signature`, written the way a receiver would by hand: HMAC-SHA256
 * keyed with the whole secret string over "<t>.<raw body>", any of the `v1=` values matching.
 */
export function handCheck(headerValue: string, secret: string, raw: string): boolean {
  const fields = headerValue.split(',');
  const ts = fields.find((f) => f.startsWith('t='))?.slice(2);
  if (!ts) return false;
  const expected = createHmac('sha256', secret).update(`${ts}.${raw}`).digest();
  return fields
    .filter((f) => f.startsWith('v1='))
    .some((f) => {
      const got = Buffer.from(f.slice(3), 'hex');
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}

/**
 * Verifies the Standard Webhooks headers with the `standardwebhooks` library. Its 5-minute
 * tolerance is measured against Date.now(), so the check runs with the clock set to the delivery's
 * own timestamp: tests that move the server's clock forward still verify the signature itself.
 */
export function standardCheck(raw: string, headers: Record<string, unknown>, secret: string): boolean {
  const timestamp = Number(headers['webhook-timestamp']);
  vi.useFakeTimers({ toFake: ['Date'], now: timestamp * 1000 });
  try {
    new Webhook(secret).verify(raw, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    return true;
  } catch {
    return false;
  } finally {
    vi.useRealTimers();
  }
}
