import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('per-key rate limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { rateLimitCreate: 3, rateLimitRead: 1_000 } });
  });
  afterAll(async () => t?.close());

  const body = { kit_code: 'A1B2C3D4', input: { transcript: 'A: hi' } };

  it('answers 429 rate_limited with Retry-After, retry_after_seconds and RateLimit headers, and stores nothing', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.api('/v1/runs', { body });
      expect(ok.status).toBe(202);
      expect(ok.headers.get('ratelimit-policy')).toBe('"create";q=3;w=60');
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"create";r=${2 - i};t=\\d+$`));
    }
    const limited = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'after-429' } });
    expect(limited.status).toBe(429);
    expect(limited.body['error']).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body['retry_after_seconds']).toBe(retryAfter);
    expect(limited.headers.get('ratelimit')).toMatch(/^"create";r=0;t=\d+$/);
    const list = await t.api<{ data: unknown[] }>('/v1/runs');
    expect(list.body.data.length).toBe(3);
  });

  it('reads draw from their own bucket and keys have their own buckets', async () => {
    const read = await t.api('/v1/runs');
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-policy')).toBe('"read";q=1000;w=60');
    const otherKey = await t.api('/v1/runs', { key: t.runnerKey, body });
    expect(otherKey.status).toBe(202);
  });
});

describe('per-workspace queued-runs cap', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { maxQueuedRuns: 2, workerConcurrency: 1 } });
  });
  afterAll(async () => t?.close());

  it('answers 429 with detail.reason queue_full once the workspace has the maximum queued, storing nothing', async () => {
    const slow = { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } };
    const first = await t.api('/v1/runs', { body: slow });
    // Wait until the first one occupies the single worker slot, so the next two stay queued.
    for (;;) {
      const run = await t.api(`/v1/runs/${first.body['run_id']}`, { headers: { prefer: 'wait=1' } });
      if (run.body['status'] === 'running') break;
    }
    expect((await t.api('/v1/runs', { body: slow })).status).toBe(202);
    expect((await t.api('/v1/runs', { body: slow })).status).toBe(202);
    const full = await t.api('/v1/runs', { body: slow });
    expect(full.status).toBe(429);
    expect(full.body['error']).toBe('rate_limited');
    expect(full.body['detail']).toMatchObject({ reason: 'queue_full' });
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const list = await t.api<{ data: { run_id: string }[] }>('/v1/runs?limit=100');
    expect(list.body.data.length).toBe(3);
    // Cancelling one frees a place in the queue.
    await t.api(`/v1/runs/${list.body.data[0]!.run_id}/cancel`, { method: 'POST' });
    const admitted = await t.api('/v1/runs', { body: slow });
    expect(admitted.status).toBe(202);
    for (const run of (await t.api<{ data: { run_id: string }[] }>('/v1/runs?limit=100')).body.data) {
      await t.api(`/v1/runs/${run.run_id}/cancel`, { method: 'POST' });
    }
  });
});

describe('the queued-runs cap under concurrent creates', () => {
  let t: TestServer;
  const CAP = 30;
  beforeAll(async () => {
    t = await startTestServer({ config: { maxQueuedRuns: CAP, workerConcurrency: 1, rateLimitCreate: 0 } });
  });
  afterAll(async () => t?.close());

  it('admits exactly the cap when many creates arrive at once (SPEC §9.4)', async () => {
    const slow = { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } };
    const first = await t.api('/v1/runs', { body: slow });
    for (;;) {
      const run = await t.api(`/v1/runs/${first.body['run_id']}`, { headers: { prefer: 'wait=1' } });
      if (run.body['status'] === 'running') break;
    }
    const answers = await Promise.all(Array.from({ length: 100 }, () => t.api('/v1/runs', { body: slow })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(CAP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - CAP);
    const queued = await t.api<{ data: { run_id: string }[] }>('/v1/runs?status=queued&limit=100');
    expect(queued.body.data).toHaveLength(CAP);
    for (const run of (await t.api<{ data: { run_id: string }[] }>('/v1/runs?limit=100')).body.data) {
      await t.api(`/v1/runs/${run.run_id}/cancel`, { method: 'POST' });
    }
  });
});
