/**
 * Verifies a Semarize webhook delivery. Written for receivers: it uses only WebCrypto, so it runs on
 * Node, Deno, Bun and edge runtimes. The server re-exports it (webhooks/verify-webhook.ts), so the
 * server's tests and the SDK share this one implementation.
 *
 * Two signatures are sent; either proves authenticity:
 * - `Semarize-Signature: t=<unix seconds>,v1=<hex>` — HMAC-SHA256 keyed with the secret string as
 *   given (`whsec_…`, UTF-8), over `<t>.<raw body>`; several `v1=` during a secret rotation.
 * - Standard Webhooks: `webhook-signature: v1,<base64>` — HMAC-SHA256 keyed with the base64-decoded
 *   part of the secret after `whsec_`, over `<webhook-id>.<webhook-timestamp>.<raw body>`.
 */
import { WebhookVerificationError } from '../errors.ts';
import type { BrickResults, BrickResultsOf } from '../types/run.ts';
import type { WebhookEvent } from './events.ts';

export { WebhookVerificationError };

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Current time in milliseconds (for tests). */
  now?: number;
}

/** A Fetch `Headers`, or a plain record such as Node's `IncomingHttpHeaders` (any name case). */
export type WebhookHeaders =
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null };

const encoder = new TextEncoder();

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(',') : value;
}

async function hmac(key: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
}

/** Compares in time independent of where the inputs differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function fromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2) return null;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function checkTimestamp(seconds: number, options: VerifyOptions): void {
  const tolerance = options.toleranceSeconds ?? 300;
  const now = (options.now ?? Date.now()) / 1000;
  if (!Number.isFinite(seconds) || Math.abs(now - seconds) > tolerance) {
    throw new WebhookVerificationError('The webhook timestamp is outside the tolerance (possible replay).');
  }
}

async function verifySemarizeSignature(
  body: string,
  value: string,
  secrets: readonly string[],
  options: VerifyOptions,
): Promise<boolean> {
  const parts = value.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => fromHex(v ?? ''));
  if (!t || signatures.length === 0)
    throw new WebhookVerificationError('Malformed Semarize-Signature header.');
  checkTimestamp(Number(t), options);
  for (const secret of secrets) {
    const expected = await hmac(encoder.encode(secret), `${t}.${body}`);
    if (signatures.some((s) => s !== null && constantTimeEqual(s, expected))) return true;
  }
  return false;
}

async function verifyStandardSignature(
  body: string,
  headers: WebhookHeaders,
  secrets: readonly string[],
  options: VerifyOptions,
): Promise<boolean> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const value = header(headers, 'webhook-signature');
  if (!id || !timestamp || !value) throw new WebhookVerificationError('Missing webhook signature headers.');
  checkTimestamp(Number(timestamp), options);
  const signatures = value
    .split(' ')
    .map((entry) => entry.split(','))
    .map(([version, signature]) => (version === 'v1' ? fromBase64(signature ?? '') : null));
  for (const secret of secrets) {
    const key = fromBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret);
    if (!key) throw new WebhookVerificationError('The secret is not a whsec_ base64 secret.');
    const expected = await hmac(key, `${id}.${timestamp}.${body}`);
    if (signatures.some((s) => s !== null && constantTimeEqual(s, expected))) return true;
  }
  return false;
}

function parseEvent<B extends BrickResultsOf<B>>(body: string): WebhookEvent<B> {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new WebhookVerificationError('The body is not JSON.');
  }
  const e = event as Record<string, unknown> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e['id'] !== 'string' ||
    typeof e['type'] !== 'string' ||
    typeof e['data'] !== 'object' ||
    e['data'] === null
  ) {
    throw new WebhookVerificationError('The body is not a Semarize event.');
  }
  return event as WebhookEvent<B>;
}

/**
 * Checks the signature of a delivery against the raw request body (the exact bytes received — not
 * re-serialised JSON) and returns the parsed event. Throws WebhookVerificationError otherwise.
 * Pass several secrets while you rotate yours; any of them may match.
 */
export async function verifyWebhook<B extends BrickResultsOf<B> = BrickResults>(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent<B>> {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === '')) {
    throw new WebhookVerificationError('No webhook secret was given.');
  }
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const semarize = header(headers, 'semarize-signature');
  const ok = semarize
    ? await verifySemarizeSignature(body, semarize, secrets, options)
    : await verifyStandardSignature(body, headers, secrets, options);
  if (!ok) throw new WebhookVerificationError('No signature matches this secret.');
  return parseEvent<B>(body);
}
