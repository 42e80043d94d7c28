import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../../src/webhooks/post-delivery.ts';

let server: Server | null = null;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** A real loopback receiver that sends its status line and headers, then body bytes forever. */
async function trickling(): Promise<string> {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => response.write('.'), 20);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
}

describe('postDelivery', () => {
  it('bounds the whole exchange: a receiver that answers 200 but never ends its body is a timeout', async () => {
    const result = await postDelivery(await trickling(), '{}', {}, { allowPrivate: true, timeoutMs: 200 });
    // Not a success: a hung attempt would otherwise hold its dispatcher slot (and endpoint place) for ever.
    expect(result).toMatchObject({ statusCode: null, error: 'no response within 200 ms' });
  });
});
