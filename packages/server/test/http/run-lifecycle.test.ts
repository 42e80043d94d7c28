import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { syncWaitMs: 5_000 } });
});
afterAll(async () => t?.close());

const TRANSCRIPT =
  "Rep: Thanks for joining. What's driving the urgency on your side?\n" +
  'Prospect: We lose about three hours a week per rep on manual call notes. We tried Gong last year.\n' +
  'Rep: How is that affecting the team?\n' +
  'Prospect: Forecasts slip. Our budget for this quarter is around $40k.\n' +
  "Rep: Great. As a next step I'll send over a proposal and book a demo for Thursday.";

type Run = Record<string, unknown> & { output?: { bricks: Record<string, Record<string, unknown>> } };

async function pollUntilTerminal(runId: string): Promise<Run> {
  return waitFor(async () => {
    const res = await t.api<Run>(`/v1/runs/${runId}`);
    return ['succeeded', 'failed', 'cancelled'].includes(res.body['status'] as string) ? res.body : null;
  });
}

describe('async runs', () => {
  it('202 with a queued run and a first-poll hint, then polling reaches succeeded with typed Brick output', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'async', input: { transcript: TRANSCRIPT } },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      object: 'run',
      status: 'queued',
      run_type: 'api',
      mode: 'async',
      kit_code: 'A1B2C3D4',
    });
    expect(res.body['run_id']).toMatch(/^run_[0-9A-Z]{26}$/);
    expect(res.body['kit_version_id']).toBe(t.starterKitVersionId);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(res.headers.get('location')).toBe(`/v1/runs/${res.body['run_id']}`);

    const run = await pollUntilTerminal(res.body['run_id'] as string);
    expect(run['status']).toBe('succeeded');
    expect(run['attempt']).toBe(1);
    expect(run['duration_ms']).toEqual(expect.any(Number));
    expect(Date.parse(run['completed_at'] as string)).toBeGreaterThanOrEqual(
      Date.parse(run['started_at'] as string),
    );
    expect(run['usage']).toEqual({ input_tokens: 0, output_tokens: 0, model_calls: 0 });
    expect(run['error_code']).toBeUndefined();
    const output = run.output!;
    expect(output).toMatchObject({ kit_code: 'A1B2C3D4', kit_version_id: t.starterKitVersionId });
    const b = output.bricks;
    expect(Object.keys(b).sort()).toEqual(
      [
        'competitors_mentioned',
        'longest_monologue',
        'next_step_mentioned',
        'pricing_discussed',
        'question_count',
        'talk_ratio',
      ].sort(),
    );
    expect(b['question_count']!['value']).toBe(2);
    expect(typeof b['talk_ratio']!['value']).toBe('number');
    expect(b['talk_ratio']!['value'] as number).toBeGreaterThan(0);
    expect(b['talk_ratio']!['value'] as number).toBeLessThanOrEqual(100);
    expect(b['next_step_mentioned']!['value']).toBe(true);
    expect(b['pricing_discussed']!['value']).toBe(true);
    expect(b['competitors_mentioned']!['value']).toEqual(['Gong']);
    for (const [key, result] of Object.entries(b)) {
      expect(result['brick_version'], key).toBe(1);
      expect(typeof result['reason'], key).toBe('string');
      for (const quote of result['evidence'] as string[]) expect(TRANSCRIPT, key).toContain(quote);
      expect((result['evidence_spans'] as unknown[]).length, key).toBe(
        (result['evidence'] as unknown[]).length,
      );
    }
  });

  it('non-terminal GETs carry Retry-After; terminal ones do not', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 1_500 } },
    });
    const pending = await t.api(`/v1/runs/${res.body['run_id']}`);
    expect(['queued', 'running']).toContain(pending.body['status']);
    expect(Number(pending.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await pollUntilTerminal(res.body['run_id'] as string);
    const done = await t.api(`/v1/runs/${res.body['run_id']}`);
    expect(done.headers.get('retry-after')).toBeNull();
  });

  it('echoes input.metadata and accepts turn arrays and messages', async () => {
    const turns = await t.api<Run>('/v1/runs', {
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: {
          transcript: [
            { speaker: 'Rep', text: 'Do you use Chorus today?', start_ms: 0, end_ms: 2_000 },
            { speaker: 'Prospect', text: 'Yes, we use Chorus.', start_ms: 2_500, end_ms: 4_000 },
          ],
          metadata: { crm_id: 'deal_123' },
          account_id: 'acct_9',
        },
      },
    });
    expect(turns.status).toBe(200);
    expect(turns.body['metadata']).toEqual({ crm_id: 'deal_123' });
    expect(turns.body.output!.bricks['competitors_mentioned']!['value']).toEqual(['Chorus']);
    const messages = await t.api<Run>('/v1/runs', {
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: {
          messages: [
            { from: 'ana@example.com', body: 'Can we book a demo next week?' },
            { from: 'bo@example.com', text: 'Sure.' },
          ],
          // Email senders have no role labels: the participants say who is on which side.
          participants: [{ name: 'ana@example.com', side: 'company' }],
        },
      },
    });
    expect(messages.status).toBe(200);
    expect(messages.body['status']).toBe('succeeded');
    expect(messages.body.output!.bricks['question_count']!['value']).toBe(1);
  });

  it("runs the public docs' one-line example transcript", async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: { transcript: 'Rep: What drove the urgency? Prospect: ...' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
    expect(res.body.output!.bricks['question_count']!['value']).toBe(1);
  });
});

describe('sync runs', () => {
  it('200 with the terminal run when it finishes within the wait', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
    expect(res.body['mode']).toBe('sync');
    expect(res.body['sync_fallback']).toBeUndefined();
    expect(res.headers.get('retry-after')).toBeNull();
    // The sync answer is the stored run, byte for byte, metadata, usage and output included.
    const stored = await t.api<Run>(`/v1/runs/${res.body['run_id']}`);
    expect(stored.text).toBe(res.text);
  });

  it('a failed sync run answers exactly what is stored', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'FA000001', mode: 'sync', input: { transcript: TRANSCRIPT, metadata: { crm: 'x' } } },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('failed');
    expect((await t.api<Run>(`/v1/runs/${res.body['run_id']}`)).text).toBe(res.text);
  });

  it('Prefer: wait=N makes an async request sync, and says so', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } },
      headers: { prefer: 'wait=5' },
    });
    expect(res.status).toBe(200);
    expect(res.body['mode']).toBe('sync');
    expect(res.headers.get('preference-applied')).toBe('wait=5');
  });

  it('202 with sync_fallback and waited_ms close to the wait when the run is slower; the run keeps going', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 3_000 } },
      headers: { prefer: 'wait=1' },
    });
    expect(res.status).toBe(202);
    expect(res.body['sync_fallback']).toBe(true);
    expect(['queued', 'running']).toContain(res.body['status']);
    expect(res.body['waited_ms'] as number).toBeGreaterThanOrEqual(950);
    expect(res.body['waited_ms'] as number).toBeLessThan(2_500);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const run = await pollUntilTerminal(res.body['run_id'] as string);
    expect(run['status']).toBe('succeeded');
  });

  it('a failed run is still a 200: the client reads status and the error fields', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'FA000001', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      error_code: 'model_error',
      error_message: expect.any(String),
      error_user_message: expect.any(String),
    });
    expect(res.body['output']).toBeUndefined();
  });

  it('an unexpected engine error fails the run with internal_error and leaks no internals', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'CR000001', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('failed');
    expect(res.body['error_code']).toBe('internal_error');
    expect(res.text).not.toContain('unexpected crash in test engine');
    expect(res.text).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('long poll', () => {
  it('GET with Prefer: wait=N answers as soon as the run finishes, not at the end of the wait', async () => {
    const created = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 500 } },
    });
    const started = Date.now();
    const res = await t.api<Run>(`/v1/runs/${created.body['run_id']}`, { headers: { prefer: 'wait=20' } });
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
    expect(res.headers.get('preference-applied')).toBe('wait=20');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('GET with Prefer: wait=1 on a slow run returns the current, non-terminal state after the wait', async () => {
    const created = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 4_000 } },
    });
    const res = await t.api<Run>(`/v1/runs/${created.body['run_id']}`, { headers: { prefer: 'wait=1' } });
    expect(res.status).toBe(200);
    expect(['queued', 'running']).toContain(res.body['status']);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
