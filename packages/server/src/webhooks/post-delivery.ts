import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { blockedAddressReason, isBlockedAddress } from './url-guard.ts';

export interface PostResult {
  statusCode: number | null;
  latencyMs: number;
  /** The start of the response body, for the deliveries log. */
  snippet: string | null;
  error: string | null;
}

const SNIPPET_CHARS = 1_024;
// Kept-alive connections: receivers get many deliveries, and TLS handshakes dominate otherwise.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * Resolves like the system does, then refuses private addresses: the check happens on the address
 * actually connected to, so a hostname that resolves differently later (DNS rebinding) is caught.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const blocked = allowPrivate ? undefined : addresses.find((a) => isBlockedAddress(a.address));
      if (blocked) {
        const reason = blockedAddressReason(blocked.address);
        return callback(new Error(`${hostname} resolves to ${blocked.address} (${reason}); refused`), '', 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs one delivery. Any 2xx is success; redirects are not followed (a 3xx is a failure); the
 * whole exchange must finish within `timeoutMs`. Never throws: failures come back as `error`.
 */
export function postDelivery(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ statusCode: null, latencyMs: 0, snippet: null, error: 'invalid url' });
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && (target.protocol !== 'https:' || (isIP(host) && isBlockedAddress(host)))) {
      return resolve({
        statusCode: null,
        latencyMs: 0,
        snippet: null,
        error: 'url refused: https and a public address only',
      });
    }
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: agents[target.protocol as 'http:' | 'https:'],
        lookup: guardedLookup(options.allowPrivate),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        let snippet = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (snippet.length < SNIPPET_CHARS) snippet += chunk.slice(0, SNIPPET_CHARS - snippet.length);
        });
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? null,
            latencyMs: elapsed(),
            snippet: snippet || null,
            error: null,
          }),
        );
        response.on('error', (error) =>
          resolve({
            statusCode: response.statusCode ?? null,
            latencyMs: elapsed(),
            snippet: snippet || null,
            error: error.message,
          }),
        );
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `no response within ${options.timeoutMs} ms`
          : error.message;
      resolve({ statusCode: null, latencyMs: elapsed(), snippet: null, error: message });
    });
    request.end(body);
  });
}
