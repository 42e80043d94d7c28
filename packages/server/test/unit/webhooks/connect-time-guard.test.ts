import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../../src/webhooks/post-delivery.ts';

/** The dispatcher checks the address again when it connects (SPEC §4, §9.5): stored URLs included. */
const send = (url: string) => postDelivery(url, '{}', {}, { allowPrivate: false, timeoutMs: 5_000 });

describe('webhook delivery address guard', () => {
  it('refuses an IP literal of a special-purpose range without connecting', async () => {
    for (const url of [
      'https://[::127.0.0.1]/hook',
      'https://[::ffff:0:7f00:1]/',
      'https://[2002:a9fe:a9fe::]/',
    ]) {
      const result = await send(url);
      expect(result.statusCode, url).toBeNull();
      expect(result.error, url).toMatch(/refused/);
    }
  });

  it('refuses a hostname whose resolved address is special-purpose, at connect time', async () => {
    const result = await send('https://localhost:1/hook');
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/localhost resolves to .* \(loopback\); refused/);
  });
});
