/**
 * Webhook delivery, on either store: how soon a receiver hears of a finished run (terminal →
 * receiver latency), and how fast a backlog of deliveries drains (deliveries/s). Both against a
 * baseline measured in the same run: plain HTTP POSTs of the same body, with the same concurrency,
 * to the same receiver. Server, dispatcher and receiver run in this process.
 */
import http from 'node:http';
import { waitFor } from '../packages/server/test/support/http-client.ts';
import { startTestServer } from '../packages/server/test/support/test-server.ts';
import { WebhookReceiver } from '../packages/server/test/support/webhook-receiver.ts';
import type { BenchStore } from './bench-server.ts';

export interface WebhookFigures {
  store: BenchStore;
  runs: number;
  latencyP50: number;
  latencyP99: number;
  baselineP50: number;
  baselineP99: number;
  backlog: number;
  deliveriesPerSecond: number;
  baselinePerSecond: number;
  concurrency: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Plain POSTs over a kept-alive agent: what any delivery costs at the least. */
async function baselinePosts(url: string, body: string, count: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
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
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), perSecond: count / seconds };
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
  const receiver = await WebhookReceiver.start();
  try {
    const endpoint = await t.api('/v1/webhooks', { body: { url: receiver.url } });
    if (endpoint.status !== 201) throw new Error(`endpoint not created: ${endpoint.text}`);
    const transcript = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';

    // Latency: runs one after another on an idle server; the event's created_at is the terminal
    // transition, so receivedAt − created_at is what a receiver waits.
    for (let i = 0; i < options.runs; i++) {
      const res = await t.api('/v1/runs', {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript } },
      });
      if (res.status !== 200) throw new Error(`run failed: ${res.text}`);
      await waitFor(async () => (receiver.received.length > i ? true : null), 10_000, 'a delivery');
    }
    const latencies = receiver.received
      .map((d) => d.receivedAt - Date.parse((JSON.parse(d.body) as { created_at: string }).created_at))
      .sort((a, b) => a - b);
    const sampleBody = receiver.received[0]!.body;
    const concurrency = t.config.webhookConcurrency;
    const baseline = await baselinePosts(receiver.url, sampleBody, options.runs, 1);

    // Throughput: a backlog builds while the receiver is down, then drains at once when it is back.
    receiver.received.length = 0;
    await receiver.refuse();
    const batch = 50;
    for (let i = 0; i < options.backlog; i += batch) {
      const created = await Promise.all(
        Array.from({ length: Math.min(batch, options.backlog - i) }, () =>
          t.api('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript } } }),
        ),
      );
      const refused = created.find((r) => r.status !== 202);
      if (refused) throw new Error(`run not created: ${refused.text}`);
    }
    const list = async () =>
      (
        await t.api<{ data: { attempts: number; status: string }[] }>(
          `/v1/webhooks/${endpoint.body['id']}/deliveries?limit=100`,
        )
      ).body.data;
    // Every delivery has failed once (connection refused) and waits for its retry.
    await waitFor(
      async () => {
        const page = await list();
        return page.length > 0 && page.every((d) => d.attempts >= 1 && d.status === 'pending') ? true : null;
      },
      120_000,
      'the backlog to be pending',
    );
    await waitFor(
      async () => ((await t.server.store.queueStats()).queued === 0 ? true : null),
      120_000,
      'runs',
    );
    await receiver.resume();
    const drainStart = performance.now();
    // Far enough that every pending retry is due: deliveries that failed more than once while the
    // backlog was built wait up to 72 s (the second retry, 60 s ± 20 %), and a drain that waited
    // for them in real time would measure the retry schedule, not the dispatcher.
    clock.offset += 10 * 60_000;
    t.server.dispatcher!.poke();
    await waitFor(
      async () => (receiver.received.length >= options.backlog ? true : null),
      300_000,
      'the backlog',
    );
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const baselineThroughput = await baselinePosts(receiver.url, sampleBody, options.backlog, concurrency);

    return {
      store: options.store,
      runs: options.runs,
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      baselineP50: quantile(baseline.latencies, 0.5),
      baselineP99: quantile(baseline.latencies, 0.99),
      backlog: options.backlog,
      deliveriesPerSecond: options.backlog / drainSeconds,
      baselinePerSecond: baselineThroughput.perSecond,
      concurrency,
    };
  } finally {
    await receiver.close();
    await t.close();
  }
}
