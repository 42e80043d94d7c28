import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { type Run, Semarize } from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';

/** The slow test Kit outlasts the server's (shortened) sync wait, so sync requests fall back. */
const SLOW = { kit_code: 'SW000001', input: { transcript: 'Rep: Hello?\nProspect: Hi.', sleep_ms: 1_000 } };

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ config: { syncWaitMs: 200 } });
});
afterAll(async () => t?.close());

describe('sync fallback', () => {
  it('a sync create that outlasts the server wait answers the running run with sync_fallback', async () => {
    const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
    const run = await client.runs.create({ ...SLOW, mode: 'sync' });
    expect(run).toMatchObject({ mode: 'sync', sync_fallback: true });
    expect(['queued', 'running']).toContain(run.status);
    expect(run.waited_ms).toBeGreaterThanOrEqual(0);
  });

  it('createAndWait continues transparently with long polls after the fallback', async () => {
    const recorder = recordingFetch();
    const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const progress: Run[] = [];
    const run = await client.runs.createAndWait(SLOW, { onProgress: (r) => progress.push(r) });

    expect(run.status).toBe('succeeded');
    expect(progress[0]).toMatchObject({ run_id: run.run_id, sync_fallback: true });
    const [create, ...polls] = recorder.sent;
    expect(create).toMatchObject({ method: 'POST' });
    expect(JSON.parse(create!.body!)).toMatchObject({ mode: 'sync' });
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const poll of polls) {
      expect(poll.url.pathname).toBe(`/v1/runs/${run.run_id}`);
      expect(poll.headers.get('prefer')).toMatch(/^wait=\d+$/);
    }
  });

  it("mode 'async' skips the server-side wait and goes straight to long polls", async () => {
    const recorder = recordingFetch();
    const client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const run = await client.runs.createAndWait({ ...SLOW, mode: 'async' });
    expect(run).toMatchObject({ status: 'succeeded', mode: 'async' });
    expect(recorder.sent[0]!.headers.has('prefer')).toBe(false);
  });
});
