import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { answerByPrefix, answerEvery } from '../support/model-answers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { useFakeModel } from '../support/use-fake-model.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/** Debian's chromium, installed by .ci/run: playwright's own browser downloads cannot run here. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TRANSCRIPT = [
  'Rep: What drove the urgency on your side?',
  'Prospect: We lose 3 hours a week on manual reports, and our budget is set for this quarter.',
  'Rep: Can we book a follow-up next Tuesday to walk through pricing?',
  'Prospect: Yes, Tuesday works.',
].join('\n');

/** Screenshots of the main screens, kept after the run to look at (git-ignored). */
const SHOTS = join(import.meta.dirname, '../../../../test-results/console');

// The language model is the one fake: a local server speaking OpenAI's wire format.
const fake = useFakeModel((request) => ({ answer: answerEvery(request, {}) }));
let t: TestServer;
let browser: Browser;
const shots = SHOTS;

beforeAll(async () => {
  t = await startTestServer({
    config: {
      // Webhooks go to a receiver on loopback (SPEC §4's development flag).
      allowPrivateWebhooks: true,
      ...fake.configAs('openai'),
      modelMaxRetries: 0,
      modelTimeoutMs: 5_000,
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(shots, { recursive: true });
  console.log(`console screenshots: ${shots}`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(key: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
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

    // The README's picture (docs/console-run.png is a copy of it): a real run of the starter Kit,
    // a Brick selected, the top of the page.
    const real = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    await page.goto(`${t.url}/console#/runs/${real.body['run_id']}`);
    await page.locator('article[data-brick="pricing_discussed"] .brick-head').click();
    await page.locator('mark.selected[data-brick="pricing_discussed"]').first().waitFor();
    await page.evaluate('scrollTo(0, 0)');
    await page.screenshot({ path: join(shots, 'readme-run.png') });
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

  it('manages a webhook endpoint and redelivers a failed delivery to a local receiver', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.mode = { status: 500 }; // fails first…
    try {
      const page = await signedIn(t.liveKey);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByLabel('URL').fill(receiver.url);
      await page.getByLabel('Description').fill('Browser test receiver');
      await page.getByLabel('run.cancelled').uncheck();
      await page.getByRole('button', { name: 'Save endpoint' }).click();
      const secret = (await page.getByLabel('Signing secret').textContent())!;
      expect(secret).toMatch(/^whsec_/);
      const endpoints = (await t.api<{ data: Record<string, unknown>[] }>('/v1/webhooks')).body.data;
      const endpoint = endpoints.find((e) => e['url'] === receiver.url)!;
      expect(endpoint).toMatchObject({
        description: 'Browser test receiver',
        events: ['run.succeeded', 'run.failed'],
      });
      const id = endpoint['id'] as string;
      const row = page.locator(`tr[data-endpoint-id="${id}"]`);

      // Edit, then disable and enable again.
      await row.getByRole('button', { name: /^Edit/ }).click();
      await page.getByLabel('Description').fill('Edited in the console');
      await page.getByRole('button', { name: 'Save endpoint' }).click();
      await row.getByText('Edited in the console').waitFor();
      await row.getByRole('button', { name: /^Disable/ }).click();
      await row.getByText('disabled').waitFor();
      expect((await t.api(`/v1/webhooks/${id}`)).body['enabled']).toBe(false);
      await row.getByRole('button', { name: /^Enable/ }).click();
      await row.getByText('enabled').waitFor();

      // A finished run's event: the receiver answers 500, and the attempt says so.
      const run = await t.api('/v1/runs', {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
      });
      expect(run.status, run.text).toBe(200);
      await page.goto(`${t.url}/console#/webhooks/${id}`);
      const delivery = page.locator('article.delivery', { hasText: run.body['run_id'] as string });
      await delivery.locator('tr[data-attempt="1"] td.code', { hasText: '500' }).waitFor();
      expect(await delivery.locator('tr[data-attempt="1"]').textContent()).toMatch(
        /500\d+ msHTTP 500.*receiver says 500/,
      );
      await page.screenshot({ path: join(shots, 'webhooks.png'), fullPage: true });

      // …then succeeds: Redeliver sends it again at once.
      receiver.mode = { status: 200 };
      await delivery.getByRole('button', { name: /^Redeliver/ }).click();
      await delivery.locator('tr[data-attempt="2"] td.code', { hasText: '200' }).waitFor();
      await delivery.locator('.status-succeeded').waitFor();
      const received = receiver.received.filter((d) => d.body.includes(run.body['run_id'] as string));
      expect(received.map((d) => d.answered)).toEqual([500, 200]);

      // A test event.
      await row.getByRole('button', { name: /^Send a test event/ }).click();
      await page.locator('article.delivery', { hasText: 'ping' }).locator('.status-succeeded').waitFor();
      expect(receiver.received.some((d) => JSON.parse(d.body)['type'] === 'ping')).toBe(true);

      // Rotating shows the new secret once; the next delivery is signed with it too.
      page.once('dialog', (dialog) => dialog.accept());
      await row.getByRole('button', { name: /^Rotate the secret/ }).click();
      const rotated = page.getByLabel('Signing secret');
      await waitFor(async () => (await rotated.textContent()) !== secret, 5_000, 'the new secret');
      expect(await rotated.textContent()).toMatch(/^whsec_/);
      await page.screenshot({ path: join(shots, 'webhooks-rotated.png'), fullPage: true });

      page.once('dialog', (dialog) => dialog.accept());
      await row.getByRole('button', { name: /^Delete/ }).click();
      await row.waitFor({ state: 'detached' });
      expect((await t.api(`/v1/webhooks/${id}`)).status).toBe(404);
      await page.close();
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it('lists Kits, shows what changed between two versions, and publishes a draft', async () => {
    const tracker = (phrases: string[]) => ({
      engine: 'tracker',
      tracker: { phrases },
      output: { type: 'boolean' },
    });
    for (const [key, phrases] of [
      ['diff_pricing', ['price']],
      ['diff_budget', ['budget']],
      ['diff_timeline', ['deadline']],
    ] as const) {
      expect((await t.api('/v1/bricks', { body: { key, name: key, ...tracker([...phrases]) } })).status).toBe(
        201,
      );
    }
    const kit = await t.api<{ kit_code: string; versions: { kit_version_id: string }[] }>('/v1/kits', {
      body: { name: 'Diff kit', bricks: [{ key: 'diff_pricing' }, { key: 'diff_budget' }] },
    });
    const code = kit.body.kit_code;
    await t.api(`/v1/kits/${code}/versions/${kit.body.versions[0]!.kit_version_id}/publish`, { body: {} });
    await t.api('/v1/bricks/diff_pricing/versions', {
      body: { name: 'Pricing', ...tracker(['price', 'cost']) },
    });
    const draft = await t.api<{ kit_version_id: string }>(`/v1/kits/${code}/versions`, {
      body: { name: 'Diff kit, second take', bricks: [{ key: 'diff_pricing' }, { key: 'diff_timeline' }] },
    });
    expect(draft.status, draft.text).toBe(201);

    const page = await signedIn(t.liveKey);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Kits' }).click();
    await page.getByRole('link', { name: 'Diff kit, second take' }).click();
    // By default the published version is compared with the latest.
    const diff = page.getByLabel('Changes from v1 to v2');
    await diff.waitFor();
    const change = (key: string) => diff.locator(`li[data-brick="${key}"]`);
    expect(await change('diff_pricing').getAttribute('data-change')).toBe('changed');
    await change('diff_pricing').locator('tr[data-field="name"]').waitFor();
    const phrases = change('diff_pricing').locator('tr[data-field="tracker.phrases"]');
    await phrases.waitFor();
    expect(await phrases.locator('td.before').textContent()).toBe('["price"]');
    expect(await phrases.locator('td.after').textContent()).toBe('["price","cost"]');
    expect(await change('diff_pricing').textContent()).toContain('v1 → v2');
    expect(await change('diff_budget').getAttribute('data-change')).toBe('removed');
    expect(await change('diff_timeline').getAttribute('data-change')).toBe('added');
    expect(await diff.locator('tr[data-field="name"] td.after').first().textContent()).toBe(
      'Diff kit, second take',
    );
    await page.screenshot({ path: join(shots, 'kit-diff.png'), fullPage: true });

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await page.getByRole('status').filter({ hasText: 'Published v2' }).waitFor();
    const after = await t.api<{ published_version: { kit_version_id: string } }>(`/v1/kits/${code}`);
    expect(after.body.published_version.kit_version_id).toBe(draft.body.kit_version_id);
    expect(await page.getByRole('button', { name: 'Publish v2' }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('marks approximate quotes and partial results, and runs the same input on another version', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    for (const key of ['next_step', 'budget']) {
      const res = await t.api('/v1/bricks', {
        body: {
          key: `${key}_${suffix}`,
          name: key,
          engine: 'llm',
          output: { type: 'boolean' },
          evidence: 'optional',
        },
      });
      expect(res.status, res.text).toBe(201);
    }
    const kit = await t.api<{ kit_code: string; versions: { kit_version_id: string }[] }>('/v1/kits', {
      body: {
        name: `Judged ${suffix}`,
        bricks: [{ key: `next_step_${suffix}` }, { key: `budget_${suffix}` }],
      },
    });
    const code = kit.body.kit_code;
    fake.script = (request) => ({
      answer: answerByPrefix(request, {
        // A dropped comma: kept as approximate, with the conversation's real text.
        next_step: {
          evidence: [{ turn: 3, quote: 'Yes Tuesday works' }],
          reason: 'Agreed.',
          value: true,
          confidence: 0.9,
        },
        // Not a boolean, even when asked again: this Brick cannot be judged.
        budget: { evidence: [], reason: 'Maybe.', value: 'definitely', confidence: 0.5 },
      }),
    });
    const input = { transcript: TRANSCRIPT, account_id: 'acct_7' };
    const run = await t.api<{ run_id: string; output: { incomplete_bricks: string[] } }>('/v1/runs', {
      body: { kit_version_id: kit.body.versions[0]!.kit_version_id, mode: 'sync', input },
    });
    expect(run.status, run.text).toBe(200);
    expect(run.body.output.incomplete_bricks).toEqual([`budget_${suffix}`]);
    const second = await t.api<{ kit_version_id: string }>(`/v1/kits/${code}/versions`, { body: {} });

    const page = await signedIn(t.liveKey);
    await page.goto(`${t.url}/console#/runs/${run.body.run_id}`);
    const approximate = page.locator(`mark.approximate[data-brick="next_step_${suffix}"]`);
    await approximate.waitFor();
    expect(await approximate.textContent()).toBe('Yes, Tuesday works');
    const quote = page.locator(`article[data-brick="next_step_${suffix}"] .quotes li`);
    expect(await quote.textContent()).toContain('≈ approximate');
    const partial = page.getByRole('alert').filter({ hasText: 'Partial result' });
    expect(await partial.textContent()).toContain(`budget_${suffix}`);
    expect(await page.locator(`article[data-brick="budget_${suffix}"] .brick-error`).textContent()).toContain(
      'output_invalid',
    );
    await page.screenshot({ path: join(shots, 'run-partial.png'), fullPage: true });

    await page.getByLabel('Run the same input again on').selectOption(second.body.kit_version_id);
    await page.getByRole('button', { name: 'Run again' }).click();
    await page.waitForURL((url) => !url.hash.includes(run.body.run_id) && /#\/runs\/run_/.test(url.hash));
    const againId = /#\/runs\/(run_\w+)/.exec(page.url())![1]!;
    const again = await t.api<{ kit_version_id: string; input: unknown }>(
      `/v1/runs/${againId}?include=input`,
    );
    expect(again.body.kit_version_id).toBe(second.body.kit_version_id);
    expect(again.body.input).toEqual(input);
    await page.close();
  }, 60_000);

  it('reads a dropped or picked transcript file in the playground', async () => {
    const page = await signedIn(t.liveKey);
    await page.goto(`${t.url}/console#/playground`);
    await page.getByLabel('Kit').selectOption('A1B2C3D4');
    // The file picker…
    await page.getByLabel('Choose a file…').setInputFiles({
      name: 'call.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(TRANSCRIPT),
    });
    await page.getByText('Read call.txt.').waitFor();
    expect(await page.getByLabel('Conversation').inputValue()).toBe(TRANSCRIPT);
    // …and a drop: a JSON file is the run's input.
    const input = {
      transcript: [
        { speaker: 'Rep', text: 'What would a good outcome look like for you?' },
        { speaker: 'Prospect', text: 'Fewer manual reports, and a decision by Friday.' },
      ],
      stage: 'discovery',
    };
    // In the page (a string: no DOM types here): a DataTransfer holding the file, as a drop carries.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(JSON.stringify(input))}], 'call.json', { type: 'application/json' }));
      return transfer;
    })()`);
    await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
    await page.getByText('Read call.json.').waitFor();
    expect(await page.locator('input[name="format"][value="json"]').isChecked()).toBe(true);
    await page.locator('input[name="type"][value="sandbox"]').check();
    await page.screenshot({ path: join(shots, 'playground-file.png'), fullPage: true });
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('.status-succeeded').first().waitFor();
    const runId = /#\/runs\/(run_\w+)/.exec(page.url())![1]!;
    expect((await t.api(`/v1/runs/${runId}?include=input`)).body['input']).toEqual(input);
    await page.close();
  }, 60_000);

  it('shows when each key was last used', async () => {
    const created = await t.api('/v1/keys', { body: { role: 'runner', name: 'last use' } });
    const page = await signedIn(t.liveKey);
    await page.getByRole('link', { name: 'API keys' }).click();
    const row = page.locator(`tr[data-key-id="${created.body['id']}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(5).textContent()).toBe('never');
    expect((await t.api('/v1/runs', { key: created.body['secret'] as string })).status).toBe(200);
    await waitFor(
      async () => {
        await page.getByRole('link', { name: 'Runs' }).first().click();
        await page.getByRole('link', { name: 'API keys' }).click();
        await row.waitFor();
        return (await row.locator('td').nth(5).textContent()) !== 'never';
      },
      10_000,
      'the last use shown',
    );
    await page.close();
  }, 60_000);

  it('updates the runs list by polling with ETags', async () => {
    const page = await signedIn(t.liveKey);
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/v1/runs') statuses.push(response.status());
    });
    const run = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } },
    });
    await page.locator(`a[href="#/runs/${run.body['run_id']}"]`).waitFor({ timeout: 15_000 });
    // Polls that find nothing new are 304s.
    await waitFor(async () => statuses.includes(304), 15_000, 'a 304 poll');
    await page.close();
  }, 60_000);

  it('works from 1280 px down to a 900 px window with labelled, keyboard-usable controls', async () => {
    const run = await t.api<{ run_id: string; output: { bricks: Record<string, { evidence: string[] }> } }>(
      '/v1/runs',
      { body: { kit_code: 'A1B2C3D4', mode: 'sync', type: 'sandbox', input: { transcript: TRANSCRIPT } } },
    );
    const screens = [
      'runs',
      `runs/${run.body.run_id}`,
      'playground',
      'kits',
      'kits/A1B2C3D4',
      'webhooks',
      'keys',
    ];
    for (const width of [1280, 900]) {
      const page = await signedIn(t.liveKey, { width, height: 800 });
      for (const screen of screens) {
        await page.goto(`${t.url}/console#/${screen}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        // A string: this project's TypeScript has no DOM types; it runs in the page.
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow, `${screen} at ${width} px`).toBeLessThanOrEqual(0);
        expect(await unlabelledControls(page), `${screen} at ${width} px`).toEqual([]);
        if (screen === 'keys') {
          // The rows come from a request the heading does not wait for.
          await page.locator('table.keys tbody td:first-child').first().waitFor();
          const hints = await lineCounts(page, 'table.keys tbody td:first-child');
          expect(hints.length, `key hints at ${width} px`).toBeGreaterThan(0);
          expect(hints, `key hints on one line at ${width} px`).toEqual(hints.map(() => 1));
          // Dates and times of day stay whole too: a column breaks between them.
          const tokens = await lineCounts(page, 'table.keys .nowrap');
          expect(tokens, `dates and times on one line at ${width} px`).toEqual(tokens.map(() => 1));
          const sideways = await page
            .locator('main .table-wrap')
            .evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
          expect(sideways, `keys table scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
        }
        if (width === 900)
          await page.screenshot({
            path: join(
              shots,
              `narrow-${screen.includes('/') ? `${screen.split('/')[0]}-detail` : screen}.png`,
            ),
          });
      }
      await page.close();
    }

    // Keyboard only: Tab to a Brick, Enter selects it and emphasises its quotes.
    const page = await signedIn(t.liveKey, { width: 900, height: 800 });
    await page.goto(`${t.url}/console#/runs/${run.body.run_id}`);
    const [brick] = Object.entries(run.body.output.bricks).find(([, r]) => r.evidence.length > 0)!;
    const head = page.locator(`article[data-brick="${brick}"] .brick-head`);
    await head.waitFor();
    for (let i = 0; i < 60 && !(await head.evaluate((el) => el.matches(':focus'))); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await head.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator(`mark.selected[data-brick="${brick}"]`).first().waitFor();
    expect(await head.getAttribute('aria-pressed')).toBe('true');
    await page.close();
  }, 90_000);
});

/**
 * How many lines each matched element's text takes: its line boxes, one client rect per line
 * (a table cell's own height is its row's, so it cannot tell).
 */
async function lineCounts(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const range = el.ownerDocument.createRange();
      range.selectNodeContents(el);
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      return tops.size;
    }),
  );
}

/** Form controls and buttons without an accessible name (a label, aria-label or text). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page
    .locator('main input, main select, main textarea, main button, header button')
    .evaluateAll((els) =>
      els
        .filter((el) => {
          const labelled = (el as unknown as { labels?: { length: number } }).labels?.length ?? 0;
          const aria = el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby');
          const text = el.tagName === 'BUTTON' ? el.textContent?.trim() : '';
          return labelled === 0 && !aria && !text;
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
}
