import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { type Run, Semarize } from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';

const RUNS = 250;

let t: TestServer;
let client: Semarize;
const created: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  client = new Semarize({ apiKey: t.liveKey, baseUrl: t.url });
  for (let batch = 0; batch < RUNS / 25; batch++) {
    const runs = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        client.runs.create({ kit_code: 'A1B2C3D4', input: { transcript: `Rep: Call ${batch * 25 + i}?` } }),
      ),
    );
    created.push(...runs.map((r) => r.run_id));
  }
});
afterAll(async () => t?.close());

describe('runs.list iterates every page', () => {
  it('yields all 250 runs exactly once, newest first, fetching page after page', async () => {
    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    const seen: Run[] = [];
    for await (const run of recorded.runs.list({ limit: 100 })) seen.push(run);

    const ids = seen.map((r) => r.run_id);
    expect(ids).toHaveLength(RUNS);
    expect(new Set(ids)).toEqual(new Set(created));
    expect(ids).toEqual([...ids].sort().reverse());
    expect(recorder.sent.map((r) => r.url.searchParams.get('cursor') !== null)).toEqual([false, true, true]);
  });

  it('pages() yields the pages; a loop can stop early without fetching the rest', async () => {
    const sizes: number[] = [];
    for await (const page of client.runs.list({ limit: 100 }).pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([100, 100, 50]);

    const recorder = recordingFetch();
    const recorded = new Semarize({ apiKey: t.liveKey, baseUrl: t.url, fetch: recorder.fetch });
    let taken = 0;
    for await (const _run of recorded.runs.list({ limit: 10 })) {
      if (++taken === 15) break;
    }
    expect(recorder.sent).toHaveLength(2);
  });

  it('filters apply to every page; listPage returns one page with its cursor', async () => {
    const none: Run[] = [];
    for await (const run of client.runs.list({ kit_code: 'FA000001' })) none.push(run);
    expect(none).toEqual([]);

    const first = await client.runs.listPage({ limit: 5, created_after: new Date(Date.now() - 3_600_000) });
    expect(first.data).toHaveLength(5);
    expect(first.has_more).toBe(true);
    const second = await client.runs.listPage({ limit: 5, cursor: first.next_cursor! });
    expect(second.data[0]!.run_id < first.data[4]!.run_id).toBe(true);
    // A list started from a cursor continues from there.
    const rest: string[] = [];
    for await (const run of client.runs.list({ limit: 100, cursor: first.next_cursor! }))
      rest.push(run.run_id);
    expect(rest).toHaveLength(RUNS - 5);
  });
});
