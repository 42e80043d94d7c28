import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isBlockedAddress, WebhookUrlError } from '../../../src/webhooks/url-guard.ts';

const publicDns = async () => ['93.184.216.34'];

describe('webhook URL guard', () => {
  it('refuses loopback, private, link-local and metadata targets', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://192.168.1.10/hook',
      'https://172.20.0.5/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://0.0.0.0/hook',
    ]) {
      await expect(checkWebhookUrl(url, { allowPrivate: false }), url).rejects.toBeInstanceOf(
        WebhookUrlError,
      );
    }
  });

  it('refuses a hostname that resolves to loopback, or to any private address among public ones', async () => {
    await expect(checkWebhookUrl('https://localhost/hook', { allowPrivate: false })).rejects.toThrow(
      /public address/,
    );
    await expect(
      checkWebhookUrl('https://sneaky.example/hook', {
        allowPrivate: false,
        resolve: async () => ['93.184.216.34', '127.0.0.1'],
      }),
    ).rejects.toThrow(/public address/);
  });

  it('refuses plain http, credentials and non-URLs; accepts a public https URL', async () => {
    await expect(
      checkWebhookUrl('http://example.com/hook', { allowPrivate: false, resolve: publicDns }),
    ).rejects.toThrow(/https/);
    await expect(
      checkWebhookUrl('https://user:pw@example.com/', { allowPrivate: false, resolve: publicDns }),
    ).rejects.toThrow(/credentials/);
    await expect(checkWebhookUrl('not a url', { allowPrivate: false })).rejects.toThrow(/absolute URL/);
    await expect(
      checkWebhookUrl('https://example.com/hook', { allowPrivate: false, resolve: publicDns }),
    ).resolves.toBeInstanceOf(URL);
  });

  it('the development flag allows private targets and plain http', async () => {
    await expect(
      checkWebhookUrl('http://127.0.0.1:9999/hook', { allowPrivate: true }),
    ).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('ftp://127.0.0.1/', { allowPrivate: true })).rejects.toThrow(/http/);
  });

  // Every form the issue found accepted, then one address of every other special-purpose range.
  const EMBEDDED_OR_SPECIAL_IPV6 = [
    '::127.0.0.1',
    '::a9fe:a9fe',
    '::ffff:0:7f00:1',
    'fec0::1',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::',
    '64:ff9b:1::a9fe:a9fe',
    '2001::5efe:7f00:1',
    '64:ff9b::7f00:1',
    '::ffff:127.0.0.1',
    '::ffff:8.8.8.8',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2606:4700::5efe:7f00:1',
    '2606:4700::200:5efe:a9fe:a9fe',
    '::',
    '100::1',
    '100:0:0:1::1',
    '2001:2::1',
    '2001:10::1',
    '2001:20::1',
    '2001:db8::1',
    '2620:4f:8000::1',
    '3fff::1',
    '5f00::1',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '4000::1',
  ];
  const SPECIAL_IPV4 = [
    '0.1.2.3',
    '100.64.0.1',
    '192.0.0.9',
    '192.0.2.1',
    '192.31.196.1',
    '192.52.193.1',
    '192.88.99.1',
    '192.175.48.1',
    '198.18.0.1',
    '198.51.100.1',
    '203.0.113.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
  ];

  it('refuses every IPv6 form that embeds an IPv4 address, and every special-purpose range', async () => {
    for (const address of [...EMBEDDED_OR_SPECIAL_IPV6, ...SPECIAL_IPV4]) {
      expect(isBlockedAddress(address), address).toBe(true);
      const host = address.includes(':') ? `[${address}]` : address;
      await expect(checkWebhookUrl(`https://${host}/hook`, { allowPrivate: false }), address).rejects.toThrow(
        /public address/,
      );
      // A name resolving to it is refused the same way.
      await expect(
        checkWebhookUrl('https://rebind.example/hook', {
          allowPrivate: false,
          resolve: async () => [address],
        }),
        address,
      ).rejects.toThrow(/public address/);
    }
  });

  it('names the range that refused an address', async () => {
    await expect(checkWebhookUrl('https://[::a9fe:a9fe]/', { allowPrivate: false })).rejects.toThrow(
      /IPv4-compatible/,
    );
    await expect(checkWebhookUrl('https://[2001::5efe:7f00:1]/', { allowPrivate: false })).rejects.toThrow(
      /Teredo/,
    );
    await expect(
      checkWebhookUrl('https://[2606:4700::5efe:7f00:1]/', { allowPrivate: false }),
    ).rejects.toThrow(/ISATAP/);
  });

  it('accepts public unicast addresses of both families', async () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '93.184.216.34',
      '2606:4700:4700::1111',
      '2a00:1450:4001:81b::200e',
    ]) {
      expect(isBlockedAddress(address), address).toBe(false);
      const host = address.includes(':') ? `[${address}]` : address;
      await expect(checkWebhookUrl(`https://${host}/hook`, { allowPrivate: false })).resolves.toBeInstanceOf(
        URL,
      );
    }
  });

  it('classifies addresses', () => {
    expect(isBlockedAddress('8.8.8.8')).toBe(false);
    expect(isBlockedAddress('2606:4700:4700::1111')).toBe(false);
    expect(isBlockedAddress('127.0.0.2')).toBe(true);
    expect(isBlockedAddress('fe80::1')).toBe(true);
    expect(isBlockedAddress('not-an-ip')).toBe(true);
  });
});
