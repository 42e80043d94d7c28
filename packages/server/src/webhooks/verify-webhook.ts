/**
 * Verifies a Semarize webhook delivery. Written for receivers: it uses only WebCrypto, so it runs on
 * Node, Deno, Bun and edge runtimes, and it imports nothing from the server (the SDK reuses it).
 *
 * Two signatures are sent; either proves authenticity:
 * - `Semarize-Signature: t=<unix seconds>,v1=<hex>` — HMAC-SHA256 keyed with the secret string as
 *   given (`whsec_…`, UTF-8), over `<t>.<raw body>`; several `v1=` during a secret rotation.
 * - Standard Webhooks: `webhook-signature: v1,<base64>` — HMAC-SHA256 keyed with the base64-decoded
 *   part of the secret after `whsec_`, over `<webhook-id>.<webhook-timestamp>.<raw body>`.
 */

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Current time in milliseconds (for tests). */
  now?: number;
}

export interface SemarizeEvent {
  id: string;
  object: 'event';
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

const encoder = new TextEncoder();

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(',') : value;
}

async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
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

function fromBase64(text: string): Uint8Array | null {
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

async function verifySemarizeSignature(body: string, value: string, secret: string, options: VerifyOptions) {
  const parts = value.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => fromHex(v ?? ''));
  if (!t || signatures.length === 0)
    throw new WebhookVerificationError('Malformed Semarize-Signature header.');
  checkTimestamp(Number(t), options);
  const expected = await hmac(encoder.encode(secret), `${t}.${body}`);
  return signatures.some((s) => s !== null && constantTimeEqual(s, expected));
}

async function verifyStandardSignature(
  body: string,
  headers: Headers,
  secret: string,
  options: VerifyOptions,
) {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const value = header(headers, 'webhook-signature');
  if (!id || !timestamp || !value) throw new WebhookVerificationError('Missing webhook signature headers.');
  checkTimestamp(Number(timestamp), options);
  const key = fromBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  if (!key) throw new WebhookVerificationError('The secret is not a whsec_ base64 secret.');
  const expected = await hmac(key, `${id}.${timestamp}.${body}`);
  return value
    .split(' ')
    .map((entry) => entry.split(','))
    .some(([version, signature]) => {
      const bytes = version === 'v1' ? fromBase64(signature ?? '') : null;
      return bytes !== null && constantTimeEqual(bytes, expected);
    });
}

/**
 * Checks the signature of a delivery against the raw request body (the exact bytes received — not
 * re-serialised JSON) and returns the parsed event. Throws WebhookVerificationError otherwise.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Headers,
  secret: string,
  options: VerifyOptions = {},
): Promise<SemarizeEvent> {
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const semarize = header(headers, 'semarize-signature');
  const ok = semarize
    ? await verifySemarizeSignature(body, semarize, secret, options)
    : await verifyStandardSignature(body, headers, secret, options);
  if (!ok) throw new WebhookVerificationError('No signature matches this secret.');
  return JSON.parse(body) as SemarizeEvent;
}
