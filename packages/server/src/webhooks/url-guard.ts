import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a webhook must never reach: loopback, private, link-local (cloud metadata), reserved. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
}

/** Whether an IP address is one a webhook may not target. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 6 ? 'ipv6' : 'ipv4');
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
  if (addresses.length === 0 || addresses.some(isBlockedAddress)) {
    throw new WebhookUrlError(
      'url must resolve to a public address (loopback, private and link-local are refused)',
    );
  }
  return url;
}
