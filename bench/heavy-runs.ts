/**
 * Responsiveness under the heaviest allowed work (SPEC §9.4): several runs at once of a Kit at
 * every limit of §9.3 (100 Bricks: trackers of 500 phrases or 100 patterns, and metrics) on the
 * largest allowed conversation (20,000 turns, ~1,000,000 characters), while /healthz is probed
 * every 20 ms. The server runs in its own process, so its memory is its own. Baseline: the same
 * probe of the same server while it is idle, measured in the same run.
 */
import { readFile } from 'node:fs/promises';
import { createClient, waitFor } from '../packages/server/test/support/http-client.ts';
import { type BenchStore, startBenchServer } from './bench-server.ts';

export interface HeavyRunFigures {
  store: BenchStore;
  concurrent: number;
  runs: number;
  turns: number;
  characters: number;
  bricks: number;
  idle: Percentiles;
  loaded: Percentiles;
  probes: number;
  peakRssMb: number;
  idleRssMb: number;
  /** Run seconds (created → completed, server timestamps), median. */
  runSecondsP50: number;
  statuses: Record<string, number>;
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

const TURNS = 20_000;
const PROBE_EVERY_MS = 20;

async function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** /healthz every 20 ms until `stop` resolves; each probe's latency in ms. */
async function probeHealth(url: string, stop: Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  while (!stopped) {
    const started = performance.now();
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
    } catch (error) {
      // The server is gone: the measurement that awaits the runs reports why.
      console.error(`/healthz probe failed: ${(error as Error).message}`);
      break;
    }
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  return latencies;
}

/** ~50 characters a turn: 20,000 turns render to about 1,000,000 characters. */
function largestConversation(): { speaker: string; text: string }[] {
  const words = ['pricing', 'renewal', 'integration', 'security', 'budget', 'timeline', 'demo', 'trial'];
  return Array.from({ length: TURNS }, (_, i) => ({
    speaker: i % 2 === 0 ? 'Rep' : 'Prospect',
    text: `On ${words[i % words.length]} and ${words[(i * 7) % words.length]} ${i}, next steps.`,
  }));
}

/** 100 Bricks at the limits: 45 trackers of 500 phrases, 45 of 100 patterns, 10 metrics. */
function heaviestBricks(): Record<string, unknown>[] {
  const bricks: Record<string, unknown>[] = [];
  for (let b = 0; b < 45; b++) {
    bricks.push({
      key: `phrases_${b}`,
      name: `Phrases ${b}`,
      engine: 'tracker',
      tracker: { phrases: Array.from({ length: 500 }, (_, i) => `topic${b}x${i} next`) },
      output: { type: 'number', min: 0 },
    });
    bricks.push({
      key: `patterns_${b}`,
      name: `Patterns ${b}`,
      engine: 'tracker',
      tracker: {
        patterns: Array.from({ length: 100 }, (_, i) => `\\b(?:pric|renew|budg)\\w*\\s+\\w+\\s+${b}${i}\\b`),
      },
      output: { type: 'boolean' },
    });
  }
  const metrics = ['talk_ratio', 'longest_monologue', 'question_count', 'interactivity', 'filler_word_rate'];
  for (let m = 0; m < 10; m++) {
    bricks.push({
      key: `metric_${m}`,
      name: `Metric ${m}`,
      engine: 'metric',
      metric: { name: metrics[m % metrics.length], ...(m >= 5 ? { speaker: 'Rep' } : {}) },
      output: { type: 'number', min: 0 },
    });
  }
  return bricks;
}

export async function measureHeavyRuns(options: {
  store: BenchStore;
  concurrent: number;
  rounds: number;
  env?: Record<string, string>;
}): Promise<HeavyRunFigures> {
  const bench = await startBenchServer(options.store, {
    SEMARIZE_MAX_BODY_BYTES: String(4 * 1024 * 1024),
    ...options.env,
  });
  try {
    const { url } = bench.server;
    const api = createClient(url!, bench.liveKey);
    const bricks = heaviestBricks();
    for (const brick of bricks) {
      const res = await api('/v1/bricks', { body: brick });
      if (res.status !== 201) throw new Error(`creating ${String(brick['key'])}: ${res.status} ${res.text}`);
    }
    const kit = await api<{ kit_code: string; versions: { kit_version_id: string }[] }>('/v1/kits', {
      body: { name: 'Heaviest', bricks: bricks.map((b) => ({ key: b['key'] })) },
    });
    if (kit.status !== 201) throw new Error(`creating the Kit: ${kit.text}`);
    await api(`/v1/kits/${kit.body.kit_code}/versions/${kit.body.versions[0]!.kit_version_id}/publish`, {
      method: 'POST',
    });
    const transcript = largestConversation();
    const characters = transcript.reduce((n, t) => n + t.speaker.length + 2 + t.text.length + 1, 0);

    // Baseline: the idle server.
    let stopIdle!: () => void;
    const idleDone = new Promise<void>((resolve) => {
      stopIdle = resolve;
    });
    const idleProbe = probeHealth(url!, idleDone);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    stopIdle();
    const idle = await idleProbe;
    const idleRssMb = await procStatus(bench.server.child.pid!, 'VmRSS');

    let stopLoaded!: () => void;
    const loadedDone = new Promise<void>((resolve) => {
      stopLoaded = resolve;
    });
    const loadedProbe = probeHealth(url!, loadedDone);
    const ids: string[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const created = await Promise.all(
        Array.from({ length: options.concurrent }, (_, i) =>
          api<{ run_id: string }>('/v1/runs', {
            body: { kit_code: kit.body.kit_code, input: { transcript, round, i } },
          }),
        ),
      );
      for (const res of created) {
        if (res.status !== 202) throw new Error(`creating a run: ${res.status} ${res.text}`);
        ids.push(res.body.run_id);
      }
      await waitFor(
        async () => {
          const states = await Promise.all(
            ids.slice(-options.concurrent).map((id) => api<{ status: string }>(`/v1/runs/${id}`)),
          );
          return states.every((s) => !['queued', 'running'].includes(s.body.status));
        },
        600_000,
        'the heavy runs to finish',
      );
    }
    stopLoaded();
    const loaded = await loadedProbe;
    const peakRssMb = await procStatus(bench.server.child.pid!, 'VmHWM');
    const runs = await Promise.all(
      ids.map((id) => api<{ status: string; created_at: string; completed_at: string }>(`/v1/runs/${id}`)),
    );
    const statuses: Record<string, number> = {};
    for (const run of runs) statuses[run.body.status] = (statuses[run.body.status] ?? 0) + 1;
    const seconds = runs.map((r) => (Date.parse(r.body.completed_at) - Date.parse(r.body.created_at)) / 1000);
    return {
      store: options.store,
      concurrent: options.concurrent,
      runs: ids.length,
      turns: TURNS,
      characters,
      bricks: bricks.length,
      idle: percentiles(idle),
      loaded: percentiles(loaded),
      probes: loaded.length,
      peakRssMb,
      idleRssMb,
      runSecondsP50: percentiles(seconds).p50,
      statuses,
    };
  } catch (error) {
    throw new Error(`heavy runs failed; server stderr:\n${bench.server.stderr().slice(-4000)}`, {
      cause: error,
    });
  } finally {
    await bench.close();
  }
}

// `node bench/heavy-runs.ts` alone prints its figures.
if (import.meta.main) {
  const env = JSON.parse(process.env['BENCH_ENV'] ?? '{}') as Record<string, string>;
  console.log(
    JSON.stringify(await measureHeavyRuns({ store: 'sqlite', concurrent: 3, rounds: 2, env }), null, 2),
  );
}
