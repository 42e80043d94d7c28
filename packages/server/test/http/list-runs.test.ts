import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
const created: string[] = [];
beforeAll(async () => {
  t = await startTestServer();
  for (let i = 0; i < 7; i++) {
    const res = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: `Rep: Question ${i}?` } },
    });
    created.push(res.body['run_id'] as string);
  }
  const failed = await t.api('/v1/runs', {
    body: { kit_code: 'FA000001', mode: 'sync', input: { transcript: 'A: x' } },
  });
  created.push(failed.body['run_id'] as string);
  await t.api('/v1/runs', {
    body: { kit_code: 'A1B2C3D4', type: 'sandbox', mode: 'sync', input: { transcript: 'A: sandbox' } },
  });
});
afterAll(async () => t?.close());

type Page = {
  object: string;
  data: Record<string, unknown>[];
  has_more: boolean;
  next_cursor: string | null;
};

describe('GET /v1/runs', () => {
  it('pages newest first through every run exactly once with next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: Page } = await t.api<Page>(`/v1/runs?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.object).toBe('list');
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((r) => r['run_id'] as string));
      cursor = res.body.next_cursor;
      expect(res.body.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('omits output unless include=output', async () => {
    const plain = await t.api<Page>('/v1/runs?limit=1&status=succeeded');
    expect(plain.body.data[0]!['output']).toBeUndefined();
    const withOutput = await t.api<Page>('/v1/runs?limit=1&status=succeeded&include=output');
    expect(withOutput.body.data[0]!['output']).toMatchObject({ kit_code: 'A1B2C3D4' });
  });

  it('filters by status, kit_code, run_type and creation time', async () => {
    const failed = await t.api<Page>('/v1/runs?status=failed');
    expect(failed.body.data.map((r) => r['run_id'])).toEqual([created[7]]);
    const byKit = await t.api<Page>('/v1/runs?kit_code=A1B2C3D4&limit=100');
    expect(byKit.body.data.length).toBe(7);
    const sandbox = await t.api<Page>('/v1/runs?run_type=sandbox');
    expect(sandbox.body.data.length).toBe(1);
    expect(sandbox.body.data[0]!['run_type']).toBe('sandbox');
    const all = await t.api<Page>('/v1/runs?limit=100');
    expect(all.body.data.every((r) => r['run_type'] === 'api')).toBe(true);
    const third = all.body.data.find((r) => r['run_id'] === created[2])!;
    const after = await t.api<Page>(
      `/v1/runs?limit=100&created_after=${encodeURIComponent(third['created_at'] as string)}`,
    );
    expect(
      after.body.data.every(
        (r) => Date.parse(r['created_at'] as string) > Date.parse(third['created_at'] as string),
      ),
    ).toBe(true);
    const before = await t.api<Page>(
      `/v1/runs?limit=100&created_before=${encodeURIComponent(third['created_at'] as string)}`,
    );
    expect(
      before.body.data.every(
        (r) => Date.parse(r['created_at'] as string) < Date.parse(third['created_at'] as string),
      ),
    ).toBe(true);
    expect(after.body.data.length + before.body.data.length).toBeLessThan(8);
  });

  it('defaults to 50 per page', async () => {
    const res = await t.api<Page>('/v1/runs');
    expect(res.body.data.length).toBe(8);
    expect(res.body.has_more).toBe(false);
    expect(res.body.next_cursor).toBeNull();
  });

  it('answers a poll that finds nothing changed with 304 and no body (If-None-Match)', async () => {
    const first = await t.api<Page>('/v1/runs?limit=3');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const same = await t.api('/v1/runs?limit=3', { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    // Another filter is another answer; so is another key's view.
    expect((await t.api('/v1/runs?limit=2', { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect(
      (await t.api('/v1/runs?limit=3', { key: t.testKey, headers: { 'if-none-match': etag } })).status,
    ).toBe(200);
    // A new run changes the list: 200 with a new tag.
    const run = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: New?' } },
    });
    created.push(run.body['run_id'] as string);
    const changed = await t.api<Page>('/v1/runs?limit=3', { headers: { 'if-none-match': `"x", ${etag}` } });
    expect(changed.status).toBe(200);
    expect(changed.body.data[0]!['run_id']).toBe(run.body['run_id']);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});
