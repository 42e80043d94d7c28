import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Debian's chromium, installed by .ci/run: playwright's own browser downloads cannot run here. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  t = await startTestServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('/docs in a browser', () => {
  it('renders the reference offline: operations, examples and webhook events, nothing from elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(t.url).origin;
    const elsewhere: string[] = [];
    // Anything not from this server is refused and remembered: the page must not need it.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:'))
        return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/docs`);
    await page.getByRole('heading', { name: 'Create a run' }).first().waitFor({ timeout: 30_000 });
    // Rendered text: what a reader sees (textContent would include the noscript fallback).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point.
    const text = await page.locator('body').innerText();
    expect(text).toContain('/v1/runs');
    expect(text).toContain('Idempotency-Key');
    expect(text).toContain('Webhook events');
    expect(text).toContain('Semarize-Signature');
    expect(text).toContain('webhook-signature');
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${process.env['TMPDIR'] ?? '/tmp'}/semarize-docs.png` });
  }, 60_000);
});
