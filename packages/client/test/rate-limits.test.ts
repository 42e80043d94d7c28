import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.ts';
import { RateLimitError, Semarize } from '../src/index.ts';
import { recordingFetch } from './support/recording-fetch.ts';
import { type VirtualClock, virtualClock } from './support/virtual-clock.ts';

/** Two requests a minute per bucket: the third waits 30 seconds — of virtual time. */
const PER_MINUTE = 2;
const BODY = {
  kit_code: 'A1B2C3D4',
  input: { transcript: 'Rep: Any questions?\nProspect: What does it cost?' },
};

let t: TestServer;
let clock: VirtualClock;

beforeAll(async () => {
  clock = virtualClock();
  t = await startTestServer({
    config: { rateLimitCreate: PER_MINUTE, rateLimitRead: PER_MINUTE, allowPrivateWebhooks: true },
    clock,
  });
});
afterAll(async () => t?.close());
beforeEach(() => {
  // A minute passes between tests: every bucket is full again.
  clock.advance(60_000);
  clock.sleeps.length = 0;
});

const client = (options: { maxRetries?: number; maxRetryAfterSeconds?: number; fetch?: typeof fetch } = {}) =>
  new Semarize({ apiKey: t.liveKey, baseUrl: t.url, clock, ...options });

/** Counts runs with another key, whose buckets these tests never drain. */
async function runCount(): Promise<number> {
  const res = await t.api<{ data: unknown[] }>('/v1/runs?limit=100', { key: t.runnerKey });
  return res.body.data.length;
}

describe('429 handling', () => {
  it('creates wait out Retry-After and succeed; nothing is created twice', async () => {
    const before = await runCount();
    const recorder = recordingFetch();
    const c = client({ fetch: recorder.fetch });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await c.runs.createAndWait(BODY));

    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(recorder.sent).toHaveLength(4); // the third create was refused once
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(30_000);
    const keys = recorder.sent.map((r) => r.headers.get('idempotency-key'));
    expect(keys[3]).toBe(keys[2]);
    expect(await runCount()).toBe(before + 3);
  });

  it('reads wait out Retry-After too, and a wait keeps waiting through 429s', async () => {
    const c = client();
    const created = await c.runs.create(BODY);
    await c.runs.get(created.run_id);
    await c.runs.get(created.run_id); // the read bucket is empty now
    const finished = await c.runs.wait(created.run_id);
    expect(finished.status).toBe('succeeded');
    expect(clock.sleeps.some((ms) => ms >= 30_000)).toBe(true);
  });

  it('without retries a 429 is a RateLimitError with retryAfter, code and request id', async () => {
    const c = client({ maxRetries: 0 });
    for (let i = 0; i < PER_MINUTE; i++) await c.runs.listPage();
    const error = await c.runs.listPage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const e = error as RateLimitError;
    expect(e).toMatchObject({
      status: 429,
      code: 'rate_limited',
      detail: { reason: 'rate_limit', bucket: 'read' },
    });
    expect(e.retryAfter).toBe(30);
    expect(e.requestId).toMatch(/^req_/);
    expect(e.userMessage).toMatch(/try again/);
    expect(clock.sleeps).toEqual([]);
  });

  it('a Retry-After longer than the client accepts ends the retries at once', async () => {
    const c = client({ maxRetryAfterSeconds: 10 });
    for (let i = 0; i < PER_MINUTE; i++) await c.runs.listPage();
    await expect(c.runs.listPage()).rejects.toBeInstanceOf(RateLimitError);
    expect(clock.sleeps).toEqual([]);
  });

  it('a write that must not happen twice (rotating a webhook secret) still waits out a 429 and is sent again', async () => {
    const admin = client();
    const endpoint = await admin.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hooks' });
    // The create drew one of the two writes this minute; the first rotation takes the other.
    const first = await admin.webhookEndpoints.rotateSecret(endpoint.id);
    const recorder = recordingFetch();
    const rotated = await client({ fetch: recorder.fetch }).webhookEndpoints.rotateSecret(endpoint.id);
    expect(recorder.sent).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(rotated.secret).not.toBe(first.secret);
  });
});
