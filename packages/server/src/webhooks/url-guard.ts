import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { specialPurposeRange } from './special-purpose-addresses.ts';

export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
}

/**
 * Why a webhook may not target this IP address (the special-purpose range it is in), or null when
 * it may. Only canonical forms count as addresses: anything else is refused.
 */
export function blockedAddressReason(address: string): string | null {
  if (isIP(address) === 0) return 'not an IP address';
  return specialPurposeRange(address);
}

/** Whether an IP address is one a webhook may not target. */
export function isBlockedAddress(address: string): boolean {
  return blockedAddressReason(address) !== null;
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a webhook URL at creation (SPEC §4): https only and a public address, unless private
 * targets are allowed (development). A hostname must resolve, and every address it resolves to
 * must be public; the dispatcher checks again at connect time (DNS rebinding).
 */
export async function checkWebhookUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('url must be an absolute URL');
  }
  if (url.username || url.password) throw new WebhookUrlError('url must not contain credentials');
  if (options.allowPrivate) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new WebhookUrlError('url must be http(s)');
    return url;
  }
  if (url.protocol !== 'https:') throw new WebhookUrlError('url must use https');
  const host = bareHost(url.hostname);
  const resolve =
    options.resolve ??
    (async (h: string) => (await lookup(h, { all: true, verbatim: true })).map((a) => a.address));
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebhookUrlError(`url host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new WebhookUrlError(`url host ${host} does not resolve`);
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) {
      throw new WebhookUrlError(
        `url must resolve to a public address (${address} is ${reason}; loopback, private, link-local and other special-purpose addresses are refused)`,
      );
    }
  }
  return url;
}
