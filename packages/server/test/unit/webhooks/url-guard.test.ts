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

  it('classifies addresses', () => {
    expect(isBlockedAddress('8.8.8.8')).toBe(false);
    expect(isBlockedAddress('2606:4700:4700::1111')).toBe(false);
    expect(isBlockedAddress('127.0.0.2')).toBe(true);
    expect(isBlockedAddress('fe80::1')).toBe(true);
    expect(isBlockedAddress('not-an-ip')).toBe(true);
  });
});
