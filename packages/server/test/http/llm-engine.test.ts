import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptText, requestedKeys } from '../support/fake-model-server.ts';
import { waitFor } from '../support/http-client.ts';
import { answerEvery } from '../support/model-answers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { useFakeModel } from '../support/use-fake-model.ts';

const TRANSCRIPT = [
  "Rep: Thanks for making time. What's behind the timing of this project?",
  'Prospect: Our reps lose about six hours a week writing call notes, and the board wants forecast accuracy fixed by Q3.',
  'Rep: Who else weighs in on a decision like this?',
  'Prospect: Our CFO signs off, and Dana from RevOps runs the evaluation. Budget is around forty thousand a year.',
  'Rep: Shall we book a technical demo with Dana for Tuesday at 10?',
  'Prospect: Yes, Tuesday at 10 works. My worry is the effort to switch from our current tool.',
].join('\n');

const DISCOVERY_ANSWERS = {
  pain_is_specific: {
    value: 85,
    confidence: 0.9,
    reason: 'Six hours a week per rep, tied to forecast accuracy.',
    evidence: ['Our reps lose about six hours a week writing call notes'],
  },
  next_step_confirmed: {
    value: true,
    confidence: 0.95,
    reason: 'Demo booked for Tuesday 10.',
    evidence: ['Yes, Tuesday at 10 works.'],
  },
  budget_discussed: {
    value: true,
    confidence: 0.9,
    reason: 'Budget stated.',
    evidence: ['Budget is around forty thousand a year.'],
  },
  decision_process: {
    value: 'partially_mapped',
    confidence: 0.7,
    reason: 'Signer known, steps not.',
    evidence: [],
  },
  stakeholders_named: {
    value: ['CFO', 'Dana from RevOps'],
    confidence: 0.9,
    reason: 'Named.',
    evidence: ['Our CFO signs off'],
  },
  main_objection: {
    value: 'Effort to switch tools.',
    confidence: 0.8,
    reason: 'Said at the end.',
    evidence: ['My worry is the effort to switch from our current tool.'],
  },
};

type Run = Record<string, unknown> & { output: { bricks: Record<string, Record<string, unknown>> } };

const fake = useFakeModel((request) => ({ answer: answerEvery(request, DISCOVERY_ANSWERS) }));
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    config: {
      ...fake.configAs('openai'),
      modelMaxRetries: 2,
      modelTimeoutMs: 1_000,
      modelMaxInputTokens: 20_000,
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const run = (kit: string, extra: Record<string, unknown> = {}) =>
  t.api<Run>('/v1/runs', {
    body: {
      kit_code: kit,
      mode: 'sync',
      input: { transcript: TRANSCRIPT, account_id: 'acct_42', stage: 'discovery', ...extra },
    },
    headers: { prefer: 'wait=30' },
  });

describe('llm engine against an OpenAI-compatible model', () => {
  it('one call for the whole Kit carries the model, the schema, the rubrics, the context and the transcript once', async () => {
    const res = await run('D1SC0VRY');
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests.length).toBe(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers['authorization']).toBe('Bearer sk-test-123');
    expect(request.body['model']).toBe('gpt-test');
    expect(request.body['response_format']?.type).toBe('json_schema');
    expect(requestedKeys(request).sort()).toEqual(Object.keys(DISCOVERY_ANSWERS).sort());
    const prompt = promptText(request);
    expect(prompt).toContain('How specific is the business pain the prospect described?');
    expect(prompt).toContain('not_discussed');
    expect(prompt).toContain('acct_42');
    expect(prompt).toContain('discovery');
    expect(prompt.split('Dana from RevOps runs the evaluation').length - 1).toBe(1);

    const b = res.body.output.bricks;
    expect(b['pain_is_specific']).toMatchObject({ value: 85, brick_version: 1 });
    expect(b['next_step_confirmed']!['value']).toBe(true);
    expect(b['decision_process']!['value']).toBe('partially_mapped');
    expect(b['stakeholders_named']!['value']).toEqual(['CFO', 'Dana from RevOps']);
    expect(b['main_objection']!['value']).toBe('Effort to switch tools.');
    expect(b['pain_is_specific']!['evidence']).toEqual([
      'Our reps lose about six hours a week writing call notes',
    ]);
    expect(b['pain_is_specific']!['evidence_spans']).toEqual([
      { turn: 1, start: 0, end: 55, speaker: 'Prospect' },
    ]);
    expect(b['pain_is_specific']!['confidence']).toBe(0.9);
    const usage = res.body['usage'] as Record<string, number>;
    expect(usage['model_calls']).toBe(1);
    expect(usage['input_tokens']).toBeGreaterThan(0);
    expect(usage['output_tokens']).toBeGreaterThan(0);
  });

  it('a Kit with its own model uses it', async () => {
    const res = await run('GM000002');
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests[0]!.body['model']).toBe('kit-chosen-model');
  });

  it('malformed output is re-asked once, and the run succeeds', async () => {
    fake.script = (request, i) =>
      i === 0
        ? { text: 'Sure! Here is my analysis: urgency yes' }
        : {
            answer: answerEvery(request, {
              urgency_stated: {
                value: true,
                reason: 'Board deadline.',
                confidence: 0.8,
                evidence: ['the board wants forecast accuracy fixed by Q3'],
              },
            }),
          };
    const res = await run('GM000001');
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests.length).toBe(2);
    expect(promptText(fake.requests[1]!)).toContain('did not fit its schema');
    expect(res.body.output.bricks['urgency_stated']!['value']).toBe(true);
    expect((res.body['usage'] as Record<string, number>)['model_calls']).toBe(2);
  });

  it('only the Brick whose answer does not fit is re-asked, alone', async () => {
    fake.script = (request, i) =>
      i === 0
        ? {
            answer: answerEvery(request, {
              ...DISCOVERY_ANSWERS,
              decision_process: { ...DISCOVERY_ANSWERS.decision_process, value: 'sort_of' },
            }),
          }
        : { answer: answerEvery(request, DISCOVERY_ANSWERS) };
    const res = await run('D1SC0VRY');
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests.length).toBe(2);
    expect(requestedKeys(fake.requests[1]!)).toEqual(['decision_process']);
    expect(res.body.output.bricks['decision_process']!['value']).toBe('partially_mapped');
  });

  it('an answer that still does not fit after the re-ask fails the run with output_invalid', async () => {
    fake.script = (request) => ({
      answer: answerEvery(request, { urgency_stated: { value: 'definitely', confidence: 2 } }),
    });
    const res = await run('GM000001');
    expect(res.body).toMatchObject({
      status: 'failed',
      error_code: 'output_invalid',
      error_user_message: expect.any(String),
    });
    expect(fake.requests.length).toBe(2);
  });

  it('429 with a retry hint is retried after the hint', async () => {
    fake.script = (request, i) =>
      i === 0
        ? { status: 429, headers: { 'retry-after': '1' } }
        : { answer: answerEvery(request, DISCOVERY_ANSWERS) };
    const res = await run('GM000001');
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests.length).toBe(2);
    expect(fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('429 on every attempt fails with model_rate_limited', async () => {
    fake.script = () => ({ status: 429, headers: { 'retry-after-ms': '50' } });
    const res = await run('GM000001');
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'model_rate_limited' });
    expect(fake.requests.length).toBe(3);
  });

  it('5xx until the retries run out fails with model_error and a message safe for end users', async () => {
    fake.script = () => ({ status: 503 });
    const res = await run('GM000001');
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'model_error' });
    expect(res.body['error_user_message']).not.toMatch(/503|fake|http/i);
    expect(fake.requests.length).toBe(3);
  });

  it('a request the provider refuses (401) is not retried', async () => {
    fake.script = () => ({ status: 401 });
    const res = await run('GM000001');
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'model_error' });
    expect(fake.requests.length).toBe(1);
  });

  it('a model slower than the timeout fails with model_timeout after the retries', async () => {
    fake.script = () => ({ hang: true });
    const res = await run('GM000001');
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'model_timeout' });
    expect(fake.requests.length).toBe(3);
    await waitFor(
      async () => fake.requests.every((r) => r.aborted),
      5_000,
      'timed-out requests to be closed',
    );
  });

  it('cancelling a run during a model call aborts the provider request', async () => {
    fake.script = () => ({ hang: true });
    const created = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'GM000001', input: { transcript: TRANSCRIPT } },
    });
    await waitFor(async () => fake.requests.length === 1, 10_000, 'the model call');
    const cancelled = await t.api(`/v1/runs/${created.body['run_id']}/cancel`, { method: 'POST' });
    expect(cancelled.body['status']).toBe('cancelled');
    await waitFor(async () => fake.requests[0]!.aborted, 5_000, 'the provider request to be aborted');
    expect(fake.requests.length).toBe(1);
  });

  it('an invented quote is dropped, the confidence lowered, and the reason says so', async () => {
    fake.script = (request) => ({
      answer: answerEvery(request, {
        urgency_stated: {
          value: true,
          confidence: 0.9,
          reason: 'The board set a deadline.',
          evidence: [
            'the board wants forecast accuracy fixed by Q3',
            'We must sign this week or lose our funding.',
          ],
        },
      }),
    });
    const res = await run('GM000001');
    const result = res.body.output.bricks['urgency_stated']!;
    expect(result['evidence']).toEqual(['the board wants forecast accuracy fixed by Q3']);
    expect(result['confidence']).toBeCloseTo(0.45, 5);
    expect(result['reason']).toMatch(/could not be found in the conversation/);
  });

  it('required evidence that is all invented leaves the value with low confidence and says evidence is missing', async () => {
    fake.script = (request) => ({
      answer: answerEvery(request, {
        urgency_stated: {
          value: true,
          confidence: 0.9,
          reason: 'Urgent.',
          evidence: ['We need this yesterday.'],
        },
      }),
    });
    const res = await run('GM000001');
    const result = res.body.output.bricks['urgency_stated']!;
    expect(result['evidence']).toEqual([]);
    expect(result['confidence'] as number).toBeLessThanOrEqual(0.25);
    expect(result['reason']).toMatch(/Required evidence is missing/);
  });

  it('a conversation beyond SEMARIZE_MODEL_MAX_INPUT_TOKENS fails with input_too_large, calling no model', async () => {
    const long = `Rep: ${'Tell me more about the current process and who owns it. '.repeat(4_000)}`;
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'GM000001', mode: 'sync', input: { transcript: long } },
      headers: { prefer: 'wait=30' },
    });
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'input_too_large' });
    expect(fake.requests.length).toBe(0);
  });

  it('sandbox runs of an llm Kit never call the model', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'D1SC0VRY', type: 'sandbox', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(res.body['status']).toBe('succeeded');
    expect(fake.requests.length).toBe(0);
    expect(res.body.output.bricks['decision_process']!['value']).toEqual(expect.any(String));
  });
});

describe('llm engine against an Anthropic-shaped model', () => {
  const anthropic = useFakeModel((request) => ({
    answer: answerEvery(request, DISCOVERY_ANSWERS),
  }));
  let a: TestServer;
  beforeAll(async () => {
    a = await startTestServer({
      config: { ...anthropic.configAs('anthropic'), modelMaxRetries: 1, modelTimeoutMs: 2_000 },
    });
  });
  afterAll(async () => {
    await a?.close();
  });

  it('speaks the Messages API with the key, the model and a schema, and returns typed output', async () => {
    const res = await a.api<Run>('/v1/runs', {
      body: { kit_code: 'D1SC0VRY', mode: 'sync', input: { transcript: TRANSCRIPT } },
      headers: { prefer: 'wait=30' },
    });
    expect(res.body['status']).toBe('succeeded');
    expect(anthropic.requests.length).toBe(1);
    const request = anthropic.requests[0]!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('sk-ant-test');
    expect(request.body['model']).toBe('claude-test');
    expect(request.body['max_tokens']).toEqual(expect.any(Number));
    // Recent Claude models take no sampling parameters: the AI SDK leaves temperature out for them.
    expect(request.body['seed']).toBeUndefined();
    expect(requestedKeys(request).sort()).toEqual(Object.keys(DISCOVERY_ANSWERS).sort());
    expect(res.body.output.bricks['stakeholders_named']!['value']).toEqual(['CFO', 'Dana from RevOps']);
    expect((res.body['usage'] as Record<string, number>)['model_calls']).toBe(1);
  });

  it('an overloaded Anthropic API (529) is retried, then fails with model_error', async () => {
    anthropic.script = () => ({ status: 529 });
    anthropic.requests.length = 0;
    const res = await a.api<Run>('/v1/runs', {
      body: { kit_code: 'GM000001', mode: 'sync', input: { transcript: TRANSCRIPT } },
      headers: { prefer: 'wait=30' },
    });
    expect(res.body).toMatchObject({ status: 'failed', error_code: 'model_error' });
    expect(anthropic.requests.length).toBe(2);
  });
});

describe('no model configured', () => {
  let n: TestServer;
  beforeAll(async () => {
    n = await startTestServer();
  });
  afterAll(async () => n?.close());

  it('runs needing llm Bricks fail with model_not_configured and a clear user message; A1B2C3D4 still succeeds', async () => {
    const llm = await n.api<Run>('/v1/runs', {
      body: { kit_code: 'D1SC0VRY', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(llm.body).toMatchObject({ status: 'failed', error_code: 'model_not_configured' });
    expect(llm.body['error_user_message']).toMatch(/needs a language model/);
    expect(llm.body['error_message']).toMatch(/SEMARIZE_MODEL_PROVIDER/);
    const basics = await n.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(basics.body['status']).toBe('succeeded');
  });
});
