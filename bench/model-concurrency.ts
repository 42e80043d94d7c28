/**
 * P6: many runs waiting on a slow model at once, in one process. A fake OpenAI-compatible server
 * answers every call after 2 s; 1,000 runs of a one-Brick llm Kit are created together. The ideal
 * is every call in flight at the same time: 1,000 runs in about 2 s. Peak memory is sampled
 * throughout (server, fake model and load generator share the process, so it is an upper bound).
 */
import { startFakeModelServer } from '../packages/server/test/support/fake-model-server.ts';
import { waitFor } from '../packages/server/test/support/http-client.ts';
import { answerEvery } from '../packages/server/test/support/model-answers.ts';
import { startTestServer } from '../packages/server/test/support/test-server.ts';

export interface ModelConcurrencyFigures {
  runs: number;
  modelLatencyMs: number;
  seconds: number;
  runsPerSecond: number;
  idealRunsPerSecond: number;
  peakRssMb: number;
  succeeded: number;
}

export async function measureModelConcurrency(options: {
  runs: number;
  modelLatencyMs: number;
}): Promise<ModelConcurrencyFigures> {
  const fake = await startFakeModelServer(async (request) => {
    await new Promise((resolve) => setTimeout(resolve, options.modelLatencyMs));
    return { answer: answerEvery(request, {}) };
  });
  const t = await startTestServer({
    config: {
      modelProvider: 'openai-compatible',
      model: 'fake-model',
      modelBaseUrl: fake.baseUrl,
      modelApiKey: 'sk-bench',
      modelTimeoutMs: 30_000,
      workerConcurrency: options.runs,
      maxQueuedRuns: options.runs * 2,
      rateLimitCreate: 0,
      rateLimitRead: 0,
      logLevel: 'silent',
    },
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const started = performance.now();
    const ids: string[] = [];
    const batch = 100;
    for (let i = 0; i < options.runs; i += batch) {
      const created = await Promise.all(
        Array.from({ length: Math.min(batch, options.runs - i) }, (_, j) =>
          t.api('/v1/runs', {
            body: {
              kit_code: 'GM000001',
              input: { transcript: `Rep: Why now, ${i + j}?\nProspect: Our renewal is in May.` },
            },
          }),
        ),
      );
      for (const res of created) {
        if (res.status !== 202) throw new Error(`run not created: ${res.text}`);
        ids.push(res.body['run_id'] as string);
      }
    }
    await waitFor(
      async () =>
        (await t.server.store.queueStats()).queued === 0 && t.server.executor!.inFlightCount === 0
          ? true
          : null,
      300_000,
      'every run to finish',
    );
    const seconds = (performance.now() - started) / 1000;
    let succeeded = 0;
    for (const id of ids) if ((await t.api(`/v1/runs/${id}`)).body['status'] === 'succeeded') succeeded++;
    return {
      runs: options.runs,
      modelLatencyMs: options.modelLatencyMs,
      seconds,
      runsPerSecond: options.runs / seconds,
      idealRunsPerSecond: options.runs / (options.modelLatencyMs / 1000),
      peakRssMb: peakRss / 1024 / 1024,
      succeeded,
    };
  } finally {
    clearInterval(sampler);
    await t.close();
    await fake.close();
  }
}
