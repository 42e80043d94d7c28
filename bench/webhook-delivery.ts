/**
 * Webhook delivery, on either store: how soon a receiver hears of a finished run (terminal →
 * receiver latency), and how fast a backlog of deliveries drains (deliveries/s). Both against a
 * baseline measured in the same run: plain HTTP POSTs of the same body, with the same concurrency,
 * to the same receivers. Server, dispatcher and receivers run in this process.
 *
 * The drain that measures the dispatcher is spread over 8 endpoints in 2 workspaces: SPEC §9.4 caps
 * one endpoint at 4 deliveries at once, so 8 × 4 fill a dispatcher's 32 slots (16 per workspace,
 * within the 24 one workspace may hold). A one-endpoint drain, 4 at a time, is measured beside it.
 */
import http from 'node:http';
import { MAX_IN_FLIGHT_PER_ENDPOINT } from '../packages/server/src/webhooks/delivery-fairness.ts';
import { createClient, waitFor } from '../packages/server/test/support/http-client.ts';
import { startTestServer } from '../packages/server/test/support/test-server.ts';
import { WebhookReceiver } from '../packages/server/test/support/webhook-receiver.ts';
import type { BenchStore } from './bench-server.ts';

export interface DrainFigures {
  endpoints: number;
  workspaces: number;
  backlog: number;
  /** Deliveries in flight at once: the dispatcher's, and the baseline client's. */
  concurrency: number;
  /** The most deliveries the dispatcher had in flight, sampled while the drain ran. */
  maxInFlight: number;
  deliveriesPerSecond: number;
  baselinePerSecond: number;
}

export interface WebhookFigures {
  store: BenchStore;
  runs: number;
  latencyP50: number;
  latencyP99: number;
  baselineP50: number;
  baselineP99: number;
  /** The dispatcher's throughput: a backlog spread so that all its slots can be in use. */
  spread: DrainFigures;
  /** A backlog to one endpoint, which SPEC §9.4 caps at 4 deliveries at once. */
  oneEndpoint: DrainFigures;
}

const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';
const WORKSPACES = 2;
const ENDPOINTS_PER_WORKSPACE = 4;

type Api = ReturnType<typeof createClient>;
interface Endpoint {
  id: string;
  api: Api;
  receiver: WebhookReceiver;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * Plain POSTs over a kept-alive agent: what any delivery costs at the least. Worker k posts to
 * urls[k % urls.length], so with 32 workers and 8 receivers each receiver has 4 at once, as from
 * the dispatcher.
 */
async function baselinePosts(urls: string[], body: string, count: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (k: number) => {
    const url = urls[k % urls.length]!;
    while (next < count) {
      next++;
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = http.request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), perSecond: count / seconds };
}

async function createEndpoint(api: Api): Promise<Endpoint> {
  const receiver = await WebhookReceiver.start();
  const res = await api('/v1/webhooks', { body: { url: receiver.url } });
  if (res.status !== 201) throw new Error(`endpoint not created: ${res.text}`);
  return { id: res.body['id'] as string, api, receiver };
}

export async function measureWebhookDelivery(options: {
  store: BenchStore;
  runs: number;
  backlog: number;
}): Promise<WebhookFigures> {
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  const t = await startTestServer({
    config: { allowPrivateWebhooks: true, logLevel: 'silent', rateLimitCreate: 0, rateLimitRead: 0 },
    clock,
    postgres: options.store === 'postgres',
  });
  const apis = [t.api, createClient(t.url, t.otherWorkspaceKey)];
  const endpoints: Endpoint[] = [];
  try {
    const first = await createEndpoint(apis[0]!);
    endpoints.push(first);

    // Latency: runs one after another on an idle server; the event's created_at is the terminal
    // transition, so receivedAt − created_at is what a receiver waits.
    for (let i = 0; i < options.runs; i++) {
      const res = await t.api('/v1/runs', {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
      });
      if (res.status !== 200) throw new Error(`run failed: ${res.text}`);
      await waitFor(async () => (first.receiver.received.length > i ? true : null), 10_000, 'a delivery');
    }
    const latencies = first.receiver.received
      .map((d) => d.receivedAt - Date.parse((JSON.parse(d.body) as { created_at: string }).created_at))
      .sort((a, b) => a - b);
    const sampleBody = first.receiver.received[0]!.body;
    const baseline = await baselinePosts([first.receiver.url], sampleBody, options.runs, 1);

    /**
     * A backlog builds while every receiver is down (each run fans out to every endpoint of its
     * workspace), then drains at once when they are back; then the bare client does the same.
     */
    const drain = async (runsPerWorkspace: number[]): Promise<DrainFigures> => {
      const backlog = runsPerWorkspace.reduce(
        (n, runs, w) => n + runs * endpoints.filter((e) => e.api === apis[w]).length,
        0,
      );
      for (const e of endpoints) {
        e.receiver.received.length = 0;
        await e.receiver.refuse();
      }
      const batch = 50;
      for (const [w, runs] of runsPerWorkspace.entries()) {
        for (let i = 0; i < runs; i += batch) {
          const created = await Promise.all(
            Array.from({ length: Math.min(batch, runs - i) }, () =>
              apis[w]!('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } } }),
            ),
          );
          const refused = created.find((r) => r.status !== 202);
          if (refused) throw new Error(`run not created: ${refused.text}`);
        }
      }
      await waitFor(
        async () => ((await t.server.store.queueGetStats()).queued === 0 ? true : null),
        120_000,
        'runs',
      );
      // Every delivery has failed once (connection refused) and waits for its retry: the newest
      // page of each endpoint, since the dispatcher takes an endpoint's oldest due ones first.
      const settled = async (e: Endpoint) => {
        const page = (
          await e.api<{ data: { attempts: number; status: string }[] }>(
            `/v1/webhooks/${e.id}/deliveries?limit=100`,
          )
        ).body.data;
        return page.length > 0 && page.every((d) => d.attempts >= 1 && d.status === 'pending');
      };
      await waitFor(
        async () => ((await Promise.all(endpoints.map(settled))).every(Boolean) ? true : null),
        120_000,
        'the backlog to be pending',
      );
      for (const e of endpoints) await e.receiver.resume();
      const drainStart = Date.now();
      // Far enough that every pending retry is due: deliveries that failed more than once while the
      // backlog was built wait up to 72 s (the second retry, 60 s ± 20 %), and a drain that waited
      // for them in real time would measure the retry schedule, not the dispatcher.
      clock.offset += 10 * 60_000;
      t.server.dispatcher!.poke();
      // Sampled while polling for the end: shows the spread drain does use every slot.
      let maxInFlight = 0;
      const drained = async () => {
        maxInFlight = Math.max(maxInFlight, t.server.dispatcher!.inFlightCount);
        return endpoints.reduce((n, e) => n + e.receiver.received.length, 0) >= backlog;
      };
      await waitFor(drained, 300_000, 'the backlog');
      // Ends at the last arrival, as the receivers stamped it: the poll above sees it up to 100 ms
      // late, too coarse for a drain of under a second.
      const lastArrival = Math.max(...endpoints.flatMap((e) => e.receiver.received.map((d) => d.receivedAt)));
      const drainSeconds = (lastArrival - drainStart) / 1000;
      const concurrency = Math.min(
        t.config.webhookConcurrency,
        endpoints.length * MAX_IN_FLIGHT_PER_ENDPOINT,
      );
      const bare = await baselinePosts(
        endpoints.map((e) => e.receiver.url),
        sampleBody,
        backlog,
        concurrency,
      );
      return {
        endpoints: endpoints.length,
        workspaces: new Set(endpoints.map((e) => e.api)).size,
        backlog,
        concurrency,
        maxInFlight,
        deliveriesPerSecond: backlog / drainSeconds,
        baselinePerSecond: bare.perSecond,
      };
    };

    // One endpoint: a quarter of the backlog is enough at 4 at a time.
    const oneEndpoint = await drain([Math.ceil(options.backlog / 4)]);
    for (const api of apis) {
      while (endpoints.filter((e) => e.api === api).length < ENDPOINTS_PER_WORKSPACE)
        endpoints.push(await createEndpoint(api));
    }
    const perWorkspace = Math.ceil(options.backlog / (WORKSPACES * ENDPOINTS_PER_WORKSPACE));
    const spread = await drain(apis.map(() => perWorkspace));

    return {
      store: options.store,
      runs: options.runs,
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      baselineP50: quantile(baseline.latencies, 0.5),
      baselineP99: quantile(baseline.latencies, 0.99),
      spread,
      oneEndpoint,
    };
  } finally {
    for (const e of endpoints) await e.receiver.close();
    await t.close();
  }
}
