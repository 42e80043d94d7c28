/**
 * P6: many runs waiting on a slow model at once, in one server process. A fake OpenAI-compatible
 * server answers every call after 2 s; 1,000 runs of a one-Brick llm Kit are created as fast as
 * 100 concurrent connections can. The server (`semarize up`) runs in its own process; the fake model and
 * the load generator run here, so the server's peak memory (VmHWM) is its own.
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { startFakeModelServer } from '../packages/server/test/support/fake-model-server.ts';
import { createClient, waitFor } from '../packages/server/test/support/http-client.ts';
import { answerEvery } from '../packages/server/test/support/model-answers.ts';
import { type BenchStore, startBenchServer } from './bench-server.ts';

export interface ModelConcurrencyFigures {
  store: BenchStore;
  runs: number;
  modelLatencyMs: number;
  /** First run created → last run completed, by the server's own timestamps. */
  seconds: number;
  /** First run created → last run created. */
  creationSeconds: number;
  /** Server CPU (all its threads) while the runs were created and their model calls started, per run. */
  creationCpuMsPerRun: number;
  runsPerSecond: number;
  idealRunsPerSecond: number;
  peakRssMb: number;
  succeeded: number;
}

interface ListedRun {
  run_id: string;
  status: string;
  created_at: string;
  completed_at: string | null;
}

/** The server process's peak resident memory so far (VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

async function serverCpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function measureModelConcurrency(options: {
  store: BenchStore;
  runs: number;
  modelLatencyMs: number;
  clients?: number;
}): Promise<ModelConcurrencyFigures> {
  const fake = await startFakeModelServer(async (request) => {
    await new Promise((resolve) => setTimeout(resolve, options.modelLatencyMs));
    return { answer: answerEvery(request, {}) };
  });
  const bench = await startBenchServer(options.store, {
    SEMARIZE_MODEL_PROVIDER: 'openai-compatible',
    SEMARIZE_MODEL: 'fake-model',
    SEMARIZE_MODEL_BASE_URL: fake.baseUrl,
    SEMARIZE_MODEL_API_KEY: 'sk-bench',
    SEMARIZE_MODEL_TIMEOUT_MS: '30000',
    SEMARIZE_WORKER_CONCURRENCY: String(options.runs),
    SEMARIZE_MAX_QUEUED_RUNS: String(options.runs * 2),
  });
  const { server, liveKey } = bench;
  const api = createClient(server.url, liveKey);
  try {
    // autocannon as the load generator: it costs far less CPU per request than fetch, and this
    // process shares the machine's two cores with the server.
    const cpu0 = await serverCpuSeconds(server.child.pid!);
    const load = await autocannon({
      url: `${server.url}/v1/runs`,
      method: 'POST',
      headers: { authorization: `Bearer ${liveKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kit_code: 'GM000001',
        input: { transcript: 'Rep: Why now?\nProspect: Our renewal is in May.' },
      }),
      connections: options.clients ?? 100,
      amount: options.runs,
    });
    if (load.non2xx > 0 || load.errors > 0) {
      throw new Error(`creating runs: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
    }
    const creationCpuSeconds = (await serverCpuSeconds(server.child.pid!)) - cpu0;
    await waitFor(
      async () => {
        for (const status of ['queued', 'running']) {
          const page = await api<{ data: unknown[] }>(`/v1/runs?status=${status}&limit=1`);
          if (page.body.data.length > 0) return null;
        }
        return true;
      },
      300_000,
      'every run to finish',
    );
    const runs: ListedRun[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: { body: { data: ListedRun[]; next_cursor: string | null } } = await api(
        `/v1/runs?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      runs.push(...page.body.data);
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    const created = runs.map((r) => Date.parse(r.created_at));
    const completed = runs.map((r) => Date.parse(r.completed_at ?? r.created_at));
    const first = Math.min(...created);
    const seconds = (Math.max(...completed) - first) / 1000;
    return {
      store: options.store,
      runs: options.runs,
      modelLatencyMs: options.modelLatencyMs,
      seconds,
      creationSeconds: (Math.max(...created) - first) / 1000,
      runsPerSecond: options.runs / seconds,
      idealRunsPerSecond: options.runs / (options.modelLatencyMs / 1000),
      creationCpuMsPerRun: (creationCpuSeconds * 1000) / options.runs,
      peakRssMb: await peakRssMb(server.child.pid!),
      succeeded: runs.filter((r) => r.status === 'succeeded').length,
    };
  } finally {
    await bench.close();
    await fake.close();
  }
}
