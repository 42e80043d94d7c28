import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import {
  AuthenticationError,
  BadRequestError,
  type BrickResult,
  NotFoundError,
  type Run,
  type RunErrorCode,
  type RunOutput,
  Semarize,
  SemarizeError,
  UnprocessableEntityError,
} from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';

const TRANSCRIPT =
  'Rep: What drove the urgency?\nProspect: We lose three hours a week on notes. Can we book a demo?';

let t: TestServer;
let client: Semarize;

beforeAll(async () => {
  t = await startTestServer();
  client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
});
afterAll(async () => t?.close());

describe('runs: the full lifecycle against the real server', () => {
  it('create answers the queued run at once; get and wait return it finished, with typed Brick results', async () => {
    const created = await client.runs.create({ kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } });
    expect(created).toMatchObject({ object: 'run', status: 'queued', mode: 'async', kit_code: 'A1B2C3D4' });
    expect(created.run_id).toMatch(/^run_[0-9A-Z]{26}$/);

    const finished = await client.runs.wait<{ question_count: BrickResult<number | null> }>(created.run_id);
    expect(finished.status).toBe('succeeded');
    if (finished.status !== 'succeeded') throw new Error('narrowing');
    expectTypeOf(finished.output!.bricks.question_count.value).toEqualTypeOf<number | null>();
    expect(finished.output!.bricks.question_count).toMatchObject({
      // The starter Kit counts the company side's questions: the Rep asked one.
      value: 1,
      evidence: ['What drove the urgency?'],
    });
    expect(finished.duration_ms).toBeGreaterThanOrEqual(0);

    const fetched = await client.runs.get(created.run_id);
    expect(fetched).toEqual(finished);
  });

  it('createAndWait returns the finished run from a single sync request when the run is quick', async () => {
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const run = await recorded.runs.createAndWait({
      kit_code: 'A1B2C3D4',
      input: { transcript: TRANSCRIPT, metadata: { call_id: 'c-1' } },
    });
    expect(run).toMatchObject({ status: 'succeeded', mode: 'sync', metadata: { call_id: 'c-1' } });
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]!.headers.get('prefer')).toMatch(/^wait=\d+$/);
    expect(recorder.sent[0]!.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('wait holds one long poll until the run finishes, instead of polling', async () => {
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const created = await recorded.runs.create({
      kit_code: 'SW000001',
      input: { transcript: TRANSCRIPT, sleep_ms: 1_500 },
    });
    const run = await recorded.runs.wait(created.run_id);
    expect(run.status).toBe('succeeded');
    const polls = recorder.sent.filter((r) => r.method === 'GET');
    expect(polls).toHaveLength(1);
    expect(polls[0]!.headers.get('prefer')).toBe('wait=60');
  });

  it('get with waitSeconds is a single long poll', async () => {
    const created = await client.runs.create({
      kit_code: 'SW000001',
      input: { transcript: TRANSCRIPT, sleep_ms: 300 },
    });
    const run = await client.runs.get(created.run_id, { waitSeconds: 30 });
    expect(run.status).toBe('succeeded');
  });

  it('sandbox runs and kit_version_id work as in the API', async () => {
    const run = await client.runs.createAndWait({
      kit_version_id: t.starterKitVersionId,
      type: 'sandbox',
      input: { transcript: TRANSCRIPT },
    });
    expect(run).toMatchObject({ status: 'succeeded', run_type: 'sandbox', kit_code: 'A1B2C3D4' });
  });
});

describe('typed errors', () => {
  it('an unknown run is a NotFoundError carrying the code, messages and request id', async () => {
    const error = await client.runs.get('run_00000000000000000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      code: 'run_not_found',
      message: 'No such run in this workspace.',
      retryAfter: null,
    });
    const e = error as NotFoundError;
    expect(e.requestId).toMatch(/^req_/);
    expect(e.userMessage).toBeTruthy();
    expect(e.userMessage).not.toContain('workspace');
  });

  it('validation errors are BadRequestError or UnprocessableEntityError with their detail', async () => {
    const bad = await client.runs
      .create({ kit_code: 'A1B2C3D4', input: { transcript: 'A: hi' }, mode: 'later' as 'sync' })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ code: 'invalid_run_mode', detail: { received: 'later' } });

    const empty = await client.runs
      .create({ kit_code: 'A1B2C3D4', input: { transcript: '' } })
      .catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(UnprocessableEntityError);
    expect(empty).toMatchObject({ status: 422, code: 'input_invalid' });
  });

  it('a wrong key is an AuthenticationError, tried once', async () => {
    const recorder = recordingFetch();
    const wrong = new Semarize({
      apiKey: 'smz_live_00000000000000000000000000000000',
      baseUrl: t.url,
      fetch: recorder.fetch,
    });
    await expect(wrong.runs.listPage()).rejects.toBeInstanceOf(AuthenticationError);
    expect(recorder.sent).toHaveLength(1);
  });

  it('the client refuses to start without an API key', () => {
    expect(() => new Semarize({ apiKey: '' })).toThrow(SemarizeError);
  });

  it('run types narrow on status', () => {
    const narrowed = (run: Run) => {
      if (run.status === 'failed') expectTypeOf(run.error_code).toEqualTypeOf<RunErrorCode>();
      if (run.status === 'succeeded') expectTypeOf(run.output).toEqualTypeOf<RunOutput | undefined>();
      if (run.status === 'queued') {
        // @ts-expect-error a queued run has no output
        void run.output;
      }
    };
    expect(narrowed).toBeTypeOf('function');
  });
});
