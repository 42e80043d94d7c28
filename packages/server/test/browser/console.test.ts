import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Debian's chromium, installed by .ci/run: playwright's own browser downloads cannot run here. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TRANSCRIPT = [
  'Rep: What drove the urgency on your side?',
  'Prospect: We lose 3 hours a week on manual reports, and our budget is set for this quarter.',
  'Rep: Can we book a follow-up next Tuesday to walk through pricing?',
  'Prospect: Yes, Tuesday works.',
].join('\n');

let t: TestServer;
let browser: Browser;
let shots: string;

beforeAll(async () => {
  t = await startTestServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = await mkdtemp(join(tmpdir(), 'semarize-console-shots-'));
  console.log(`console screenshots: ${shots}`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${t.url}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
  return page;
}

describe('the console in a real browser', () => {
  it('signs in, runs a Kit from the playground and highlights every evidence quote', async () => {
    const page = await signedIn(t.liveKey);
    await page.screenshot({ path: join(shots, 'runs.png'), fullPage: true });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Kit').selectOption('A1B2C3D4');
    await page.getByLabel('Conversation').fill(TRANSCRIPT);
    await page.locator('input[name="type"][value="sandbox"]').check();
    await page.screenshot({ path: join(shots, 'playground.png'), fullPage: true });
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('.status-succeeded').first().waitFor();
    const runId = /#\/runs\/(run_\w+)/.exec(page.url())![1]!;

    const run = (
      await t.api<{ output: { bricks: Record<string, { evidence: string[] }> } }>(`/v1/runs/${runId}`)
    ).body;
    let quotes = 0;
    for (const [brick, result] of Object.entries(run.output.bricks)) {
      for (const [index, quote] of result.evidence.entries()) {
        const marks = page.locator(`mark[data-evidence="${brick}:${index}"]`);
        expect(await marks.count(), `${brick} quote ${index}`).toBeGreaterThan(0);
        expect((await marks.allTextContents()).join('')).toBe(quote);
        quotes++;
      }
    }
    expect(quotes).toBeGreaterThan(0);

    // Selecting a Brick emphasises its quotes.
    const [withEvidence] = Object.entries(run.output.bricks).find(([, r]) => r.evidence.length > 0)!;
    await page.locator(`article[data-brick="${withEvidence}"] .brick-head`).click();
    expect(await page.locator(`mark.selected[data-brick="${withEvidence}"]`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'run-detail.png'), fullPage: true });

    // The list shows the new run, linked to its detail.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Run type').selectOption('sandbox');
    await page.locator(`a[href="#/runs/${runId}"]`).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(shots, 'runs-list.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('cancels a running run', async () => {
    const created = await t.api('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } },
    });
    const page = await signedIn(t.liveKey);
    await page.goto(`${t.url}/console#/runs/${created.body['run_id']}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.status-cancelled').first().waitFor();
    const after = await t.api(`/v1/runs/${created.body['run_id']}`);
    expect(after.body['status']).toBe('cancelled');
    await page.close();
  }, 60_000);

  it('creates a key (shown once) and revokes it', async () => {
    const page = await signedIn(t.liveKey);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('browser test');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.locator('.created-key .secret').textContent())!;
    expect(secret).toMatch(/^smz_live_/);
    expect((await t.api('/v1/runs', { key: secret })).status).toBe(200);
    await page.screenshot({ path: join(shots, 'keys.png'), fullPage: true });
    page.once('dialog', (dialog) => dialog.accept());
    const hint = `${secret.slice(0, 9)}…${secret.slice(-4)}`;
    await page.getByRole('button', { name: `Revoke ${hint}` }).click();
    await page.getByRole('button', { name: `Revoke ${hint}` }).waitFor({ state: 'detached' });
    expect((await t.api('/v1/runs', { key: secret })).status).toBe(401);
    await page.close();
  }, 60_000);

  it('a runner session cannot see the keys screen', async () => {
    const page = await signedIn(t.runnerKey);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await page.goto(`${t.url}/console#/keys`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Only a live admin key');
    expect(await page.locator('table.keys').count()).toBe(0);
    await page.close();
  }, 60_000);
});
