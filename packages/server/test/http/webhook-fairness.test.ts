/**
 * Fair webhook delivery (SPEC §9.4), over real HTTP with real receivers: one workspace's hanging
 * receivers hold at most 4 deliveries each and never make another workspace's events wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';
/** Longer than the test needs when delivery is fair: a hung attempt ending is what would let B through otherwise. */
const ATTEMPT_TIMEOUT_MS = 20_000;

describe('a workspace whose receivers hang', () => {
  let t: TestServer;
  const hanging: WebhookReceiver[] = [];
  let healthy: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestServer({
      config: { allowPrivateWebhooks: true, rateLimitCreate: 0, rateLimitRead: 0 },
      webhookTimeoutMs: ATTEMPT_TIMEOUT_MS,
    });
    healthy = await WebhookReceiver.start();
    for (let i = 0; i < t.config.maxWebhookEndpoints; i++) {
      const receiver = await WebhookReceiver.start();
      receiver.mode = 'hang';
      hanging.push(receiver);
    }
  });

  afterAll(async () => {
    // Receivers first: their dropped connections end the hung attempts, so the server stops at once.
    await Promise.all([...hanging, healthy].map((r) => r?.close()));
    await t?.close();
  });

  const run = async (key: string) => {
    const res = await t.api('/v1/runs', {
      key,
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(res.status).toBe(200);
    return res.body['run_id'] as string;
  };
  const openAtA = () => hanging.reduce((n, r) => n + r.open, 0);
  const requestsToA = () => hanging.reduce((n, r) => n + r.received.length, 0);

  it("delays no other workspace's events, and gets at most 4 deliveries in flight per endpoint", async () => {
    // Workspace A: 20 endpoints on receivers that never answer, and 5 events each: 100
    // deliveries, more than the dispatcher's 32 slots.
    for (const receiver of hanging) {
      const res = await t.api('/v1/webhooks', { body: { url: receiver.url } });
      expect(res.status).toBe(201);
    }
    for (let i = 0; i < 5; i++) await run(t.liveKey);
    // A holds every slot it may before B's first event.
    await waitFor(async () => (openAtA() >= 24 ? true : null), 30_000, "A's deliveries to hang");

    // Workspace B: one healthy endpoint, ten events.
    const created = await t.api('/v1/webhooks', { key: t.otherWorkspaceKey, body: { url: healthy.url } });
    expect(created.status).toBe(201);
    const runsB: string[] = [];
    for (let i = 0; i < 10; i++) runsB.push(await run(t.otherWorkspaceKey));
    const deliveredB = () =>
      new Set(healthy.received.map((d) => (JSON.parse(d.body) as { data: { run_id: string } }).data.run_id));

    // The bound is a count, not a time: B's events all arrive before any of A's attempts ends
    // (each hangs until its timeout), so nothing of A's had to give way for them.
    await waitFor(
      async () => deliveredB().size === runsB.length || openAtA() < requestsToA(),
      3 * ATTEMPT_TIMEOUT_MS,
      "B's deliveries, or an attempt of A's to end",
    );
    expect([...deliveredB()].sort()).toEqual([...runsB].sort());
    expect(openAtA()).toBe(requestsToA());
    for (const receiver of hanging) expect(receiver.maxOpen).toBeLessThanOrEqual(4);
  });
});
