import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../server/test/support/http-client.ts';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { ConflictError, Semarize, WaitTimeoutError } from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';

const TRANSCRIPT = 'Rep: Shall we start?\nProspect: Yes.';
/** Runs for a minute unless cancelled. */
const LONG = { kit_code: 'SW000001', input: { transcript: TRANSCRIPT, sleep_ms: 60_000 } };

let t: TestServer;
let client: Semarize;

beforeAll(async () => {
  t = await startTestServer();
  client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
});
afterAll(async () => t?.close());

async function runningRun(): Promise<string> {
  const created = await client.runs.create(LONG);
  await waitFor(async () => (await client.runs.get(created.run_id)).status === 'running', 20_000, 'running');
  return created.run_id;
}

describe('waits end on every terminal status', () => {
  it('a failing Kit ends the wait with the failed run and its error fields', async () => {
    const run = await client.runs.createAndWait({ kit_code: 'FA000001', input: { transcript: TRANSCRIPT } });
    expect(run.status).toBe('failed');
    if (run.status !== 'failed') throw new Error('narrowing');
    expect(run.error_code).toBe('model_error');
    expect(run.error_user_message).toBe('This analysis failed. Please try again later.');

    const created = await client.runs.create({ kit_code: 'FA000001', input: { transcript: TRANSCRIPT } });
    expect((await client.runs.wait(created.run_id)).status).toBe('failed');
  });

  it('cancelling a running run ends a wait in progress with the cancelled run', async () => {
    const runId = await runningRun();
    const waiting = client.runs.wait(runId);
    const cancelled = await client.runs.cancel(runId);
    expect(cancelled).toMatchObject({ run_id: runId, status: 'cancelled', error_code: 'cancelled' });
    await expect(waiting).resolves.toMatchObject({ run_id: runId, status: 'cancelled' });
    // Cancelling again returns the cancelled run.
    await expect(client.runs.cancel(runId)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('cancelling a queued run, and refusing to cancel a finished one with a typed 409', async () => {
    const queuedOnly = await startTestServer({ config: { workerConcurrency: 1 } });
    try {
      const c = new Semarize({ apiKey: queuedOnly.liveKey, baseUrl: queuedOnly.url });
      const occupying = await c.runs.create(LONG); // holds the one worker slot
      const queued = await c.runs.create(LONG);
      await expect(c.runs.cancel(queued.run_id)).resolves.toMatchObject({ status: 'cancelled' });
      await expect(c.runs.wait(queued.run_id)).resolves.toMatchObject({ status: 'cancelled' });
      await c.runs.cancel(occupying.run_id); // so closing the server does not wait for it
    } finally {
      await queuedOnly.close();
    }

    const done = await client.runs.createAndWait({ kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } });
    const error = await client.runs.cancel(done.run_id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      status: 409,
      code: 'run_not_cancellable',
      detail: { status: 'succeeded' },
    });
  });
});

describe('waits end when the caller says so', () => {
  it('an overall timeout throws WaitTimeoutError with the run as last seen; the run goes on', async () => {
    const runId = await runningRun();
    const error = await client.runs.wait(runId, { timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).runId).toBe(runId);
    expect((error as WaitTimeoutError).run?.status).toBe('running');
    expect((await client.runs.get(runId)).status).toBe('running');
    await client.runs.cancel(runId);
  });

  it('an AbortSignal stops a wait, rejecting with the signal reason; the run goes on', async () => {
    const runId = await runningRun();
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const controller = new AbortController();
    const longPoll = recorder.nextRequest((r) => r.headers.has('prefer'));
    const waiting = recorded.runs.wait(runId, { signal: controller.signal });
    await longPoll;
    const reason = new Error('the user closed the page');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    // Giving up waiting does not cancel the run.
    expect((await client.runs.get(runId)).status).toBe('running');
    await client.runs.cancel(runId);
  });

  it('createAndWait with a timeout shorter than a second skips the sync wait and still gives up in time', async () => {
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const error = await recorded.runs.createAndWait(LONG, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const create = recorder.sent[0]!;
    expect(create.headers.has('prefer')).toBe(false);
    expect(JSON.parse(create.body!)).toMatchObject({ mode: 'async' });
    await client.runs.cancel((error as WaitTimeoutError).runId);
  });
});

describe('progress while waiting', () => {
  it('with progressIntervalMs, onProgress sees the live status (queued, then running) during a long run', async () => {
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const seen: string[] = [];
    // The run sleeps a minute; it is cancelled once a report says it runs, which ends the wait.
    const run = await recorded.runs.createAndWait(
      { ...LONG, mode: 'async' },
      {
        timeoutMs: 30_000,
        progressIntervalMs: 1_000,
        onProgress: (r) => {
          seen.push(r.status);
          if (r.status === 'running') void client.runs.cancel(r.run_id);
        },
      },
    );
    expect(run.status).toBe('cancelled');
    expect(seen[0]).toBe('queued'); // the create's answer
    expect(seen).toContain('running');
    for (const poll of recorder.sent.slice(1)) expect(poll.headers.get('prefer')).toBe('wait=1');
  });
});
