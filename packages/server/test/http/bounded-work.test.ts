import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { INLINE_PREPARE_MAX_CHARS } from '../../src/engine-threads/engine-threads.ts';
import { createIdGenerator, sha256Hex } from '../../src/ids.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Limits far below the defaults (SPEC §9.3), so inputs past them are quick to build.
const MAX_TURNS = 400;
const MAX_CHARS = 120_000;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    config: { maxConversationTurns: MAX_TURNS, maxConversationChars: MAX_CHARS, patternBudgetMs: 2_000 },
  });
});
afterAll(async () => t?.close());

interface Run {
  id: string;
  status: string;
  output: {
    bricks: Record<string, { value: unknown; confidence: number | null; details?: Record<string, unknown> }>;
  };
}

/** `count` turns of `words` words each, alternating Rep and Prospect. */
function transcript(count: number, words = 5): { speaker: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    speaker: i % 2 === 0 ? 'Rep' : 'Prospect',
    text: Array.from({ length: words }, (_, w) => `word${w}`).join(' '),
  }));
}

async function runCount(api = t.api): Promise<number> {
  const listed = await api<{ data: unknown[] }>('/v1/runs?limit=100');
  return listed.body.data.length;
}

async function publishKit(
  api: typeof t.api,
  name: string,
  bricks: Record<string, unknown>[],
): Promise<string> {
  for (const brick of bricks) {
    const created = await api('/v1/bricks', { body: brick });
    expect(created.status, created.text).toBe(201);
  }
  const kit = await api<{ kit_code: string; versions: { kit_version_id: string }[] }>('/v1/kits', {
    body: { name, bricks: bricks.map((b) => ({ key: b['key'] })) },
  });
  expect(kit.status, kit.text).toBe(201);
  const published = await api(
    `/v1/kits/${kit.body.kit_code}/versions/${kit.body.versions[0]!.kit_version_id}/publish`,
    {
      method: 'POST',
    },
  );
  expect(published.status, published.text).toBe(200);
  return kit.body.kit_code;
}

describe('conversation limits at creation (SPEC §9.3)', () => {
  it('refuses too many turns with 422 input_too_large, stores nothing, and the key stays usable', async () => {
    const before = await runCount();
    const body = { kit_code: 'A1B2C3D4', input: { transcript: transcript(MAX_TURNS + 1, 1) } };
    expect(JSON.stringify(body.input).length).toBeLessThan(INLINE_PREPARE_MAX_CHARS); // the inline path
    const res = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'too-many-turns' } });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({
      error: 'input_too_large',
      detail: { turns: MAX_TURNS + 1, max_turns: MAX_TURNS, max_characters: MAX_CHARS },
    });
    expect(typeof res.body['request_id']).toBe('string');
    expect(await runCount()).toBe(before);
    const fits = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: transcript(MAX_TURNS, 1) } },
      headers: { 'idempotency-key': 'too-many-turns' },
    });
    expect(fits.status, fits.text).toBe(202);
  });

  it('refuses too many characters of a large input, normalised off the HTTP thread', async () => {
    const before = await runCount();
    const input = { transcript: transcript(300, 80) };
    expect(JSON.stringify(input).length).toBeGreaterThan(INLINE_PREPARE_MAX_CHARS); // the thread path
    const res = await t.api('/v1/runs', { body: { kit_code: 'A1B2C3D4', input } });
    expect(res.status, res.text).toBe(422);
    expect(res.body['error']).toBe('input_too_large');
    expect((res.body['detail'] as { characters: number }).characters).toBeGreaterThan(MAX_CHARS);
    expect(await runCount()).toBe(before);
  });

  it('answers a large invalid input with 422 input_invalid from the thread, as for a small one', async () => {
    const turns: unknown[] = transcript(300, 40);
    turns[200] = { speaker: 'Rep' };
    const res = await t.api('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript: turns } } });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({ error: 'input_invalid', detail: { reason: 'invalid_transcript' } });
    expect(String(res.body['message'])).toContain('input.transcript[200]');
  });

  it('POST /v1/test applies the same limits', async () => {
    const res = await t.api('/v1/test', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: transcript(MAX_TURNS + 1, 1) } },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body['error']).toBe('input_too_large');
  });
});

describe('deterministic engines on engine threads', () => {
  it('a run stored before inputs were prepared at creation is prepared by the executor', async () => {
    // As a store migrated to 0005 holds it: the input, and no prepared input.
    const { store } = t.server;
    const key = await store.apiKeyGetByHash(sha256Hex(t.liveKey));
    const published = await store.kitGetPublishedVersionId(key!.workspaceId, 'A1B2C3D4');
    const input = { transcript: 'Rep: Shall we book the demo for Tuesday?\nProspect: Yes, Tuesday works.' };
    const id = `run_${createIdGenerator(systemClock).ulid()}`;
    const created = await store.runInsert(
      {
        id,
        workspaceId: key!.workspaceId,
        runType: 'sandbox',
        mode: 'async',
        kitCode: 'A1B2C3D4',
        kitVersionId: published!.versionId!,
        inputJson: JSON.stringify(input),
        preparedJson: null,
        metadataJson: null,
        createdAt: Date.now(),
        requestId: null,
      },
      null,
      Date.now(),
      1_000,
    );
    expect(created.outcome).toBe('created');
    const done = await waitFor(async () => {
      const run = await t.api<Run>(`/v1/runs/${id}`);
      return run.body.status === 'succeeded' && run.body;
    });
    // The same placeholder output a run created today gets for the same input (same seed).
    const today = await t.api<Run>('/v1/test', { body: { kit_code: 'A1B2C3D4', input } });
    expect(today.status, today.text).toBe(200);
    expect(done.output.bricks).toEqual((today.body as unknown as { output: Run['output'] }).output.bricks);
  });

  it('a large conversation is evaluated by metric and tracker Bricks, normalised once at creation', async () => {
    const code = await publishKit(t.api, 'Large', [
      {
        key: 'large_talk_ratio',
        name: 'Talk ratio',
        engine: 'metric',
        metric: { name: 'talk_ratio' },
        output: { type: 'number', min: 0, max: 100 },
      },
      {
        key: 'large_word',
        name: 'Word 3',
        engine: 'tracker',
        tracker: { phrases: ['word3'] },
        output: { type: 'number', min: 0 },
      },
    ]);
    const input = { transcript: transcript(300, 40) };
    expect(JSON.stringify(input).length).toBeGreaterThan(INLINE_PREPARE_MAX_CHARS);
    const res = await t.api<Run>('/v1/runs', { body: { kit_code: code, mode: 'sync', input } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('succeeded');
    // Every turn says "word3" once; Rep and Prospect speak the same number of words.
    expect(res.body.output.bricks['large_word']).toMatchObject({ value: 300, confidence: 1 });
    expect(res.body.output.bricks['large_talk_ratio']!.value).toBe(50);
  });

  it('a pattern past its limit answers null (never false), and is quarantined for its workspace only', async () => {
    const slow = {
      key: 'slow_pattern',
      name: 'Slow',
      engine: 'tracker',
      tracker: { patterns: ['(a+)+b'] },
      output: { type: 'boolean' },
    };
    const mine = await publishKit(t.api, 'Slow here', [slow]);
    const other = createClient(t.url, t.otherWorkspaceKey);
    const theirs = await publishKit(other, 'Slow there', [slow]);
    const catastrophic = { transcript: `Rep: ${'a'.repeat(40)}! Hello.` };
    const first = await t.api<Run>('/v1/runs', {
      body: { kit_code: mine, mode: 'sync', input: catastrophic },
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.output.bricks['slow_pattern']).toMatchObject({
      value: null,
      confidence: 0,
      details: { skipped_patterns: ['(a+)+b'] },
    });
    // Quarantined here: skipped even where it would match at once.
    const benign = { transcript: 'Rep: aab' };
    const again = await t.api<Run>('/v1/runs', { body: { kit_code: mine, mode: 'sync', input: benign } });
    expect(again.body.output.bricks['slow_pattern']).toMatchObject({ value: null, confidence: 0 });
    // The other workspace's copy of the same pattern still runs.
    const there = await other<Run>('/v1/runs', { body: { kit_code: theirs, mode: 'sync', input: benign } });
    expect(there.status, there.text).toBe(200);
    expect(there.body.output.bricks['slow_pattern']).toMatchObject({ value: true, confidence: 1 });
  });
});
