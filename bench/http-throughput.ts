/**
 * P1, P2 and P5 of the performance goals: requests per second of POST /v1/runs (async) and
 * GET /v1/runs/{id} against the bare Fastify baseline measured in the same run, and the overhead a
 * sync request adds to the engine's own time. Creates are measured twice: on `semarize up`, whose
 * one thread also executes what it accepts (so how many runs it executed during the load is counted
 * too: a create rate bought by starving the executor is not one), and on `semarize serve`, which
 * only accepts. The servers run in child processes; the load generator (autocannon) runs here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createClient } from '../packages/server/test/support/http-client.ts';
import { type BenchStore, startBenchServer } from './bench-server.ts';

export interface Throughput {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export interface HttpFigures {
  store: BenchStore;
  durationSeconds: number;
  connections: number;
  /** On `up`: accepting while the same process executes. */
  create: Throughput;
  /** Runs `up` finished during the create load, per second of it. */
  executedPerSecond: number;
  /** On `serve`: accepting only. */
  createServe: Throughput;
  createBare: Throughput;
  /** On `up`, once the creates' backlog has drained. */
  get: Throughput;
  getServe: Throughput;
  getBare: Throughput;
  syncOverheadP50: number;
  syncOverheadP99: number;
  /**
   * Where the sync overhead goes, medians, from the run's own timestamps (millisecond resolution):
   * created → claimed by the executor; claimed → finished, less the engine's time; and the rest of
   * the request (HTTP, authentication, the Kit lookup, the insert, the finish and the response).
   */
  syncQueuedP50: number;
  syncExecutorP50: number;
  syncRestP50: number;
  syncEngineMs: number;
}

async function load(options: autocannon.Options): Promise<Throughput & { answered: number }> {
  const result = await autocannon(options);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    answered: result['2xx'],
  };
}

/** The async create every P1 measure sends: the starter Kit on a two-line transcript. */
export const CREATE_BODY = {
  kit_code: 'A1B2C3D4',
  input: { transcript: 'Rep: What drove the urgency?\nProspect: We lose three hours a week on notes.' },
};

/** The server's own count of queued runs (GET /metrics, gauge semarize_runs_queued). */
export async function queuedRuns(url: string, headers: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith('semarize_runs_queued '));
  if (!line) throw new Error('GET /metrics has no semarize_runs_queued');
  return Number(line.split(' ')[1]);
}

async function startBare(bodies: {
  created: string;
  fetched: string;
}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BARE_CREATED_JSON: bodies.created, BARE_RUN_JSON: bodies.fetched },
  });
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
  });
  return { url, child };
}

const withoutCount = ({ answered: _, ...figures }: Throughput & { answered: number }): Throughput => figures;

/** Waits until `up` has executed every queued run, so the next measure meets an idle executor. */
async function drain(api: ReturnType<typeof createClient>): Promise<void> {
  for (;;) {
    const queued = await api<{ data: { run_id: string }[] }>('/v1/runs?status=queued&limit=1');
    const next = queued.body.data[0];
    if (!next) return;
    // Waiting on a queued run paces the loop by the executor, without a fixed sleep.
    await api(`/v1/runs/${next.run_id}`, { headers: { prefer: 'wait=5' } });
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function measureHttp(options: {
  store: BenchStore;
  durationSeconds: number;
  /** Load before measuring (JIT, connection pools, page cache), per server. */
  warmupSeconds: number;
  connections: number;
  syncRuns: number;
}): Promise<HttpFigures> {
  const bench = await startBenchServer(options.store, { SEMARIZE_MAX_QUEUED_RUNS: '100000000' });
  const { server, liveKey } = bench;
  const api = createClient(server.url, liveKey);
  const sample = await api('/v1/runs', { body: CREATE_BODY });
  const done = await api('/v1/runs', {
    body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'Rep: Hi?' } },
  });
  const runId = done.body['run_id'] as string;
  const bare = await startBare({ created: sample.text, fetched: (await api(`/v1/runs/${runId}`)).text });
  // An accept-only server on a store of its own, seeded with the same run to read.
  const serveOnly = await startBenchServer(options.store, {
    SEMARIZE_MAX_QUEUED_RUNS: '100000000',
    SEMARIZE_TEST_ROLE: 'serve',
  });
  try {
    const headers = { authorization: `Bearer ${liveKey}`, 'content-type': 'application/json' };
    const serveHeaders = { ...headers, authorization: `Bearer ${serveOnly.liveKey}` };
    const body = JSON.stringify(CREATE_BODY);
    const common = { connections: options.connections, duration: options.durationSeconds };
    const serveRunId = (
      await createClient(serveOnly.server.url, serveOnly.liveKey)('/v1/runs', { body: CREATE_BODY })
    ).body['run_id'] as string;
    // Warm all three up (JIT, connection pools, SQLite page cache) before measuring.
    for (const [url, h] of [
      [server.url, headers],
      [serveOnly.server.url, serveHeaders],
      [bare.url, headers],
    ] as const) {
      await load({
        ...common,
        duration: options.warmupSeconds,
        url: `${url}/v1/runs`,
        method: 'POST',
        headers: h,
        body,
      });
    }
    await drain(api);

    const createBare = await load({ ...common, url: `${bare.url}/v1/runs`, method: 'POST', headers, body });
    const queuedBefore = await queuedRuns(server.url, headers);
    const create = await load({ ...common, url: `${server.url}/v1/runs`, method: 'POST', headers, body });
    const queuedAfter = await queuedRuns(server.url, headers);
    const executedPerSecond = (create.answered - (queuedAfter - queuedBefore)) / options.durationSeconds;
    const createServe = await load({
      ...common,
      url: `${serveOnly.server.url}/v1/runs`,
      method: 'POST',
      headers: serveHeaders,
      body,
    });

    // All read a succeeded run whose bytes the bare route answers; `up` once its backlog is done.
    await drain(api);
    const getBare = await load({ ...common, url: `${bare.url}/v1/runs/${runId}`, headers });
    const get = await load({ ...common, url: `${server.url}/v1/runs/${runId}`, headers });
    const getServe = await load({
      ...common,
      url: `${serveOnly.server.url}/v1/runs/${serveRunId}`,
      headers: serveHeaders,
    });

    // P5: one sync request at a time on a quiet server, with an engine that takes a known time.
    // Wait for the backlog P1 created to drain first, so the executor is idle.
    const engineMs = 50;
    await drain(api);
    const overheads: number[] = [];
    const queued: number[] = [];
    const executor: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < options.syncRuns; i++) {
      const started = performance.now();
      const res = await api('/v1/runs', {
        body: {
          kit_code: 'SW000001',
          mode: 'sync',
          input: { transcript: `A: sync ${i}`, sleep_ms: engineMs },
        },
      });
      if (res.status !== 200) throw new Error(`sync run answered ${res.status}: ${res.text}`);
      const overhead = performance.now() - started - engineMs;
      const at = (field: string) => Date.parse(res.body[field] as string);
      const inQueue = at('started_at') - at('created_at');
      const inExecutor = at('completed_at') - at('started_at') - engineMs;
      overheads.push(overhead);
      queued.push(inQueue);
      executor.push(inExecutor);
      rest.push(overhead - inQueue - inExecutor);
    }
    for (const list of [overheads, queued, executor, rest]) list.sort((a, b) => a - b);
    return {
      store: options.store,
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      create: withoutCount(create),
      executedPerSecond,
      createServe: withoutCount(createServe),
      createBare: withoutCount(createBare),
      get: withoutCount(get),
      getServe: withoutCount(getServe),
      getBare: withoutCount(getBare),
      syncOverheadP50: quantile(overheads, 0.5),
      syncOverheadP99: quantile(overheads, 0.99),
      syncQueuedP50: quantile(queued, 0.5),
      syncExecutorP50: quantile(executor, 0.5),
      syncRestP50: quantile(rest, 0.5),
      syncEngineMs: engineMs,
    };
  } finally {
    bare.child.kill();
    await serveOnly.close();
    await bench.close();
  }
}
