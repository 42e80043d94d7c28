/**
 * SQLite against PostgreSQL, end to end: runs/s with an engine that costs next to nothing (the
 * starter Kit A1B2C3D4, metric and tracker Bricks on a two-line transcript) for 1 and 3 worker
 * processes, and the queued → running latency of an idle worker. Every server is a real process
 * (the test fixture, which starts the server with the same roles as `semarize up|serve|work`); the
 * load comes from this process over HTTP. The baseline is a bare queue table worked by plain SQL on
 * the same store in the same run (bench/bare-queue.ts).
 *
 * PostgreSQL is measured when DATABASE_URL is set, each topology on a fresh schema of it.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { openStore } from '../packages/server/src/server.ts';
import { sqlitePathIn } from '../packages/server/src/store/sqlite/sqlite-store.ts';
import { type ChildService, spawnService } from '../packages/server/test/support/child-server.ts';
import { createClient } from '../packages/server/test/support/http-client.ts';
import { createTestSchema, type TestSchema } from '../packages/server/test/support/postgres-schema.ts';
import { seedStore } from '../packages/server/test/support/seed.ts';
import { testConfig } from '../packages/server/test/support/test-config.ts';
import { type BareQueueFigures, measureBareQueue } from './bare-queue.ts';

export interface StoreOptions {
  /** Runs in each backlog. */
  backlog: number;
  /** Clients creating runs (backlog) and waiting on sync runs (steady state) at once. */
  concurrency: number;
  steadySeconds: number;
  latencyRuns: number;
}

/** CPU time per run, in ms (from /proc; null where there is none). */
export interface CpuPerRun {
  /** The Semarize processes together (serve and work, or the one `up`). */
  servers: number;
  /** This run's PostgreSQL backends (null for SQLite, which runs inside the server process). */
  database: number | null;
  /** This process: the load generator and the progress polls. */
  client: number;
  /** The rest of the machine's busy time: the kernel, and anything else running meanwhile. */
  other: number;
  /** Share of the machine's cores busy (1 = every core). */
  machineBusy: number;
  /** Cores the Semarize processes kept busy on average (CPU time over wall time). */
  serversCores: number;
  cores: number;
}

export interface TopologyFigures {
  workers: number;
  /** Backlog creation over HTTP, runs/s (`concurrency` clients, async runs). */
  createPerSecond: number;
  /** Backlog drain: runs / (last completed_at − first started_at). */
  drainPerSecond: number;
  drainCpu: CpuPerRun | null;
  steadyCpu: CpuPerRun | null;
  /** Sync runs completed per second, `concurrency` clients each waiting for its run, then the next. */
  steadyPerSecond: number;
  steadyP50: number;
  steadyP99: number;
}

export interface StoreFigures {
  store: 'SQLite' | 'PostgreSQL';
  topologies: TopologyFigures[];
  /** queued → running (started_at − created_at), ms, one run at a time on an idle worker. */
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  bare: BareQueueFigures;
}

export interface StoreBenchmark {
  options: StoreOptions;
  sqlite: StoreFigures;
  /** null without DATABASE_URL. */
  postgres: StoreFigures | null;
  markdown: string;
}

const KIT = 'A1B2C3D4';
const TRANSCRIPT = 'Rep: Can we book a demo next week?\nProspect: Yes, Tuesday works.';
/** The server's own default pool size, and the baseline's PostgreSQL connections. */
const POOL_SIZE = 10;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; USER_HZ is 100 on every Linux this runs on).

const TICK_MS = 10;

function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

function machineCpuMs(): { busy: number; total: number; cores: number } | null {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const cores = lines.filter((l) => /^cpu\d/.test(l)).length;
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS, cores };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  servers: number | null;
  /** CPU ms of each PostgreSQL backend of this run, by pid. */
  database: Map<number, number> | null;
  client: number;
  machine: ReturnType<typeof machineCpuMs>;
}

/** What to account for: the server processes, and the store (for its backends). */
interface Measured {
  servers: ChildService[];
  watch: StoreWatch;
}

async function cpuSnapshot(m: Measured): Promise<CpuSnapshot> {
  const pids = await m.watch.backendPids();
  const each = m.servers.map((s) => processCpuMs(s.child.pid!));
  const own = process.cpuUsage();
  return {
    servers: each.some((v) => v === null) ? null : each.reduce((a: number, b) => a + b!, 0),
    database: pids ? new Map(pids.map((pid) => [pid, processCpuMs(pid) ?? 0])) : null,
    client: (own.user + own.system) / 1000,
    machine: machineCpuMs(),
  };
}

function cpuPerRun(before: CpuSnapshot, after: CpuSnapshot, runs: number): CpuPerRun | null {
  if (before.servers === null || after.servers === null || !before.machine || !after.machine) return null;
  const servers = after.servers - before.servers;
  // A backend that started meanwhile counts from zero; one that ended meanwhile is lost (rare:
  // the pools keep their connections while they are busy).
  let database: number | null = null;
  if (after.database) {
    database = 0;
    for (const [pid, ms] of after.database) database += ms - (before.database?.get(pid) ?? 0);
  }
  const client = after.client - before.client;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  return {
    servers: servers / runs,
    database: database === null ? null : database / runs,
    client: client / runs,
    other: Math.max(0, busy - servers - (database ?? 0) - client) / runs,
    machineBusy: total > 0 ? busy / total : 0,
    serversCores: total > 0 ? servers / (total / after.machine.cores) : 0,
    cores: after.machine.cores,
  };
}

// ---------------------------------------------------------------------------------------------
// The store as seen from outside: progress of a backlog, and a sample run's stored bytes.

interface StoreWatch {
  /** Whether any run is queued or running (two probes of partial indexes: cheap to poll). */
  busy(): Promise<boolean>;
  /** Runs created at or after `since` (ms), and the window from the first start to the last finish. */
  progress(since: number): Promise<{ runs: number; open: number; firstStart: number; lastDone: number }>;
  sampleRun(): Promise<{ input: string; output: string }>;
  /** PostgreSQL: the pids of this run's backends, but for the watch's own; SQLite: null. */
  backendPids(): Promise<number[] | null>;
  close(): Promise<void>;
}

const BUSY_SQL = `SELECT EXISTS (SELECT 1 FROM runs WHERE status = 'queued')
  OR EXISTS (SELECT 1 FROM runs WHERE status = 'running') AS busy`;
const PROGRESS_SQL = (since: number) =>
  `SELECT count(*) AS runs,
     sum(CASE WHEN status IN ('queued', 'running') THEN 1 ELSE 0 END) AS open,
     min(started_at) AS first_start, max(completed_at) AS last_done
   FROM runs WHERE created_at >= ${Math.floor(since)}`;
const SAMPLE_SQL = `SELECT input, output FROM runs WHERE status = 'succeeded' ORDER BY id LIMIT 1`;

function toProgress(row: Record<string, unknown> | undefined) {
  return {
    runs: Number(row?.['runs'] ?? 0),
    open: Number(row?.['open'] ?? 0),
    firstStart: Number(row?.['first_start'] ?? 0),
    lastDone: Number(row?.['last_done'] ?? 0),
  };
}

/** A read-only connection: WAL lets it read while the server writes, without taking the write lock. */
function watchSqlite(path: string): StoreWatch {
  const db = new DatabaseSync(path, { readOnly: true });
  return {
    busy: async () => Boolean(db.prepare(BUSY_SQL).get()?.['busy']),
    progress: async (since) => toProgress(db.prepare(PROGRESS_SQL(since)).get()),
    sampleRun: async () => {
      const row = db.prepare(SAMPLE_SQL).get()!;
      return { input: String(row['input']), output: String(row['output']) };
    },
    backendPids: async () => null,
    close: async () => db.close(),
  };
}

async function watchPostgres(url: string): Promise<StoreWatch> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    busy: async () => Boolean((await client.query<{ busy: boolean }>(BUSY_SQL)).rows[0]?.busy),
    progress: async (since) => toProgress((await client.query(PROGRESS_SQL(since))).rows[0]),
    sampleRun: async () => {
      const row = (await client.query(SAMPLE_SQL)).rows[0] as { input: string; output: string };
      return { input: row.input, output: row.output };
    },
    // Every connection of this run has the schema's name as application_name (schemaUrl).
    backendPids: async () =>
      (
        await client.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE application_name = current_setting('application_name') AND pid <> pg_backend_pid()`,
        )
      ).rows.map((r) => r.pid),
    close: () => client.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// Load over HTTP.

type Api = ReturnType<typeof createClient>;

async function createBacklog(api: Api, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const res = await api('/v1/runs', { body: { kit_code: KIT, input: { transcript: TRANSCRIPT } } });
        if (res.status !== 202) throw new Error(`run not created (${res.status}): ${res.text}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** One run at a time on an idle system; each is waited for before the next is created. */
async function queuedToRunning(api: Api, runs: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const created = await api('/v1/runs', { body: { kit_code: KIT, input: { transcript: TRANSCRIPT } } });
    if (created.status !== 202) throw new Error(`run not created (${created.status}): ${created.text}`);
    const id = created.body['run_id'] as string;
    let run = created.body;
    while (run['status'] === 'queued' || run['status'] === 'running') {
      run = (await api(`/v1/runs/${id}`, { headers: { prefer: 'wait=10' } })).body;
    }
    if (run['status'] !== 'succeeded') throw new Error(`run ${id} ended ${String(run['status'])}`);
    latencies.push(Date.parse(run['started_at'] as string) - Date.parse(run['created_at'] as string));
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * `concurrency` clients each create a sync run and wait for its result, then start the next; after
 * a one-second warm-up, counts the runs that finished within `seconds` (their round trips give the
 * percentiles) and the CPU the machine spent meanwhile.
 */
async function steadyState(api: Api, concurrency: number, seconds: number, measured: Measured) {
  const warmUpUntil = performance.now() + 1_000;
  const endAt = warmUpUntil + seconds * 1_000;
  const latencies: number[] = [];
  let before: Promise<CpuSnapshot> | null = null;
  let after: Promise<CpuSnapshot> | null = null;
  const marks = [
    setTimeout(() => (before = cpuSnapshot(measured)), warmUpUntil - performance.now()),
    setTimeout(() => (after = cpuSnapshot(measured)), endAt - performance.now()),
  ];
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < endAt) {
          const t0 = performance.now();
          const res = await api('/v1/runs', {
            body: { kit_code: KIT, mode: 'sync', input: { transcript: TRANSCRIPT } },
          });
          if (res.status !== 200 || res.body['status'] !== 'succeeded') {
            throw new Error(`sync run answered ${res.status}: ${res.text}`);
          }
          const t1 = performance.now();
          if (t1 >= warmUpUntil && t1 <= endAt) latencies.push(t1 - t0);
        }
      }),
    );
  } finally {
    for (const mark of marks) clearTimeout(mark);
  }
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpu: before && after ? cpuPerRun(await before, await after, latencies.length) : null,
  };
}

/** Polls the store every 20 ms until every run created since `since` is terminal. */
async function drained(watch: StoreWatch, since: number, count: number) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (!(await watch.busy())) {
      const p = await watch.progress(since);
      if (p.runs >= count && p.open === 0) return p;
    }
    if (Date.now() > deadline)
      throw new Error(`the backlog did not drain: ${JSON.stringify(await watch.progress(since))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(...services: ChildService[]): Promise<void> {
  await Promise.all(
    services.map(async (s) => {
      s.child.kill('SIGCONT');
      s.child.kill('SIGTERM');
      await s.exited;
    }),
  );
}

const serverEnv = {
  SEMARIZE_RATE_LIMIT_CREATE: '0',
  SEMARIZE_RATE_LIMIT_READ: '0',
  SEMARIZE_MAX_QUEUED_RUNS: '100000000',
  SEMARIZE_LOG_LEVEL: 'error',
};

// ---------------------------------------------------------------------------------------------
// SQLite: one process owns the file.

async function measureSqlite(options: StoreOptions): Promise<StoreFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-bench-stores-'));
  const config = testConfig(dataDir);
  const seeding = openStore(config);
  const { liveKey } = await seedStore(seeding);
  await seeding.close();
  const env = { ...serverEnv, SEMARIZE_DATA_DIR: dataDir };
  const watch = watchSqlite(sqlitePathIn(dataDir));
  try {
    // Latency and steady state: `semarize up`, HTTP and executor in one process.
    const up = await spawnService('up', env);
    let latencies: number[];
    let steady: Awaited<ReturnType<typeof steadyState>>;
    try {
      const api = createClient(up.url!, liveKey);
      latencies = await queuedToRunning(api, options.latencyRuns);
      steady = await steadyState(api, options.concurrency, options.steadySeconds, {
        servers: [up],
        watch,
      });
    } finally {
      await stop(up);
    }

    // Backlog: created by a `serve` process (nothing executes), which then exits; one `work`
    // process drains it. The drain window starts at the first started_at, so start-up is not in it.
    const since = Date.now();
    const serve = await spawnService('serve', env);
    let createPerSecond: number;
    try {
      createPerSecond = await createBacklog(
        createClient(serve.url!, liveKey),
        options.backlog,
        options.concurrency,
      );
    } finally {
      await stop(serve);
    }
    const work = await spawnService('work', env);
    let drain: Awaited<ReturnType<typeof drained>>;
    let drainCpu: CpuPerRun | null;
    try {
      const before = await cpuSnapshot({ servers: [work], watch });
      drain = await drained(watch, since, options.backlog);
      drainCpu = cpuPerRun(before, await cpuSnapshot({ servers: [work], watch }), options.backlog);
    } finally {
      await stop(work);
    }
    const sample = await watch.sampleRun();
    const bare = await measureBareQueue({
      target: { sqlitePath: join(dataDir, 'bare.db') },
      rows: options.backlog,
      concurrency: options.concurrency,
      connections: 1,
      latencyRuns: options.latencyRuns,
      inputJson: sample.input,
      outputJson: sample.output,
    });
    return {
      store: 'SQLite',
      topologies: [
        {
          workers: 1,
          createPerSecond,
          drainPerSecond: drain.runs / ((drain.lastDone - drain.firstStart) / 1000),
          drainCpu,
          steadyCpu: steady.cpu,
          steadyPerSecond: steady.perSecond,
          steadyP50: steady.p50,
          steadyP99: steady.p99,
        },
      ],
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      latencyMax: latencies.at(-1)!,
      bare,
    };
  } finally {
    await watch.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one `serve` process and N `work` processes on one schema.

async function measurePostgresTopology(
  options: StoreOptions,
  workers: number,
  withLatency: boolean,
): Promise<{ topology: TopologyFigures; latencies: number[]; sample: { input: string; output: string } }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'semarize-bench-stores-pg-'));
  const schema: TestSchema = await createTestSchema();
  try {
    const seeding = openStore(testConfig(dataDir, { databaseUrl: schema.url }));
    const { liveKey } = await seedStore(seeding);
    await seeding.close();
    const env = { ...serverEnv, SEMARIZE_DATA_DIR: dataDir, DATABASE_URL: schema.url };
    const [serve, ...works] = await Promise.all([
      spawnService('serve', env),
      ...Array.from({ length: workers }, () => spawnService('work', env)),
    ]);
    const watch = await watchPostgres(schema.url);
    const measured: Measured = { servers: [serve!, ...works], watch };
    try {
      const api = createClient(serve!.url!, liveKey);
      const latencies = withLatency ? await queuedToRunning(api, options.latencyRuns) : [];
      const steady = await steadyState(api, options.concurrency, options.steadySeconds, measured);

      // Backlog: the workers are paused (SIGSTOP) while it is created and resumed together, so
      // all of them drain from the first run on (no worker is still starting while others work).
      const since = Date.now();
      for (const w of works) w.child.kill('SIGSTOP');
      const createPerSecond = await createBacklog(api, options.backlog, options.concurrency);
      const before = await cpuSnapshot(measured);
      for (const w of works) w.child.kill('SIGCONT');
      const drain = await drained(watch, since, options.backlog);
      const drainCpu = cpuPerRun(before, await cpuSnapshot(measured), options.backlog);
      return {
        topology: {
          workers,
          createPerSecond,
          drainPerSecond: drain.runs / ((drain.lastDone - drain.firstStart) / 1000),
          drainCpu,
          steadyCpu: steady.cpu,
          steadyPerSecond: steady.perSecond,
          steadyP50: steady.p50,
          steadyP99: steady.p99,
        },
        latencies,
        sample: await watch.sampleRun(),
      };
    } finally {
      await watch.close();
      await stop(serve!, ...works);
    }
  } finally {
    await schema.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measurePostgres(options: StoreOptions): Promise<StoreFigures> {
  const one = await measurePostgresTopology(options, 1, true);
  const three = await measurePostgresTopology(options, 3, false);
  const schema = await createTestSchema();
  let bare: BareQueueFigures;
  try {
    bare = await measureBareQueue({
      target: { postgresUrl: schema.url },
      rows: options.backlog,
      concurrency: options.concurrency,
      connections: POOL_SIZE,
      latencyRuns: options.latencyRuns,
      inputJson: one.sample.input,
      outputJson: one.sample.output,
    });
  } finally {
    await schema.drop();
  }
  return {
    store: 'PostgreSQL',
    topologies: [one.topology, three.topology],
    latencyP50: quantile(one.latencies, 0.5),
    latencyP99: quantile(one.latencies, 0.99),
    latencyMax: one.latencies.at(-1)!,
    bare,
  };
}

// ---------------------------------------------------------------------------------------------

export async function measureStores(options: StoreOptions): Promise<StoreBenchmark> {
  const sqlite = await measureSqlite(options);
  const postgres = process.env['DATABASE_URL'] ? await measurePostgres(options) : null;
  return { options, sqlite, postgres, markdown: storesMarkdown(options, sqlite, postgres) };
}

const int = (n: number) => String(Math.round(n));
const ratio = (n: number) => `${n.toFixed(2)}×`;
const ms = (n: number) => n.toFixed(1);
const cpuCell = (c: CpuPerRun | null) =>
  c
    ? [c.servers, c.database, c.client, c.other].map((v) => (v === null ? '–' : v.toFixed(2))).join(' / ')
    : 'n/a';
const busyCell = (c: CpuPerRun | null) =>
  c ? `${Math.round(c.machineBusy * 100)}% of ${c.cores} cores` : 'n/a';

function storesMarkdown(options: StoreOptions, sqlite: StoreFigures, postgres: StoreFigures | null): string {
  const columns: { label: string; store: StoreFigures; t: TopologyFigures }[] = [
    { label: 'SQLite, 1 process (`up`)', store: sqlite, t: sqlite.topologies[0]! },
    ...(postgres?.topologies ?? []).map((t) => ({
      label: `PostgreSQL, \`serve\` + ${t.workers} \`work\``,
      store: postgres!,
      t,
    })),
  ];
  const row = (label: string, cell: (c: (typeof columns)[number]) => string) =>
    `| ${label} | ${columns.map(cell).join(' | ')} |`;
  const table = [
    `| Measure | ${columns.map((c) => c.label).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    row(`Backlog drain, runs/s (${options.backlog} queued)`, (c) => `**${int(c.t.drainPerSecond)}**`),
    row('Baseline: bare claim + finish, rows/s', (c) => int(c.store.bare.drainPerSecond)),
    row('Ratio to baseline', (c) => `**${ratio(c.t.drainPerSecond / c.store.bare.drainPerSecond)}**`),
    row('CPU ms per run while draining: Semarize / PostgreSQL / load generator / other', (c) =>
      cpuCell(c.t.drainCpu),
    ),
    row('Machine busy while draining', (c) => busyCell(c.t.drainCpu)),
    row(
      `Steady state, runs/s (${options.concurrency} clients, sync runs, ${options.steadySeconds} s)`,
      (c) => `**${int(c.t.steadyPerSecond)}**`,
    ),
    row('Sync round trip p50 / p99, ms', (c) => `${ms(c.t.steadyP50)} / ${ms(c.t.steadyP99)}`),
    row(`Baseline: bare insert + claim + finish, ${options.concurrency} at a time, runs/s`, (c) =>
      int(c.store.bare.lifecyclePerSecond),
    ),
    row('Ratio to baseline', (c) => `**${ratio(c.t.steadyPerSecond / c.store.bare.lifecyclePerSecond)}**`),
    row('CPU ms per run in steady state: Semarize / PostgreSQL / load generator / other', (c) =>
      cpuCell(c.t.steadyCpu),
    ),
    row('Machine busy in steady state', (c) => busyCell(c.t.steadyCpu)),
    row(`Backlog creation over HTTP, runs/s (${options.concurrency} clients)`, (c) =>
      int(c.t.createPerSecond),
    ),
    row('Baseline: bare INSERT, rows/s', (c) => int(c.store.bare.insertsPerSecond)),
  ].join('\n');

  const stores = [sqlite, ...(postgres ? [postgres] : [])];
  const latencyTable = [
    `| queued → running, ${options.latencyRuns} runs one at a time | ${stores.map((s) => s.store).join(' | ')} |`,
    `|---|${stores.map(() => '---:').join('|')}|`,
    `| Semarize, p50 | ${stores.map((s) => `**${s.latencyP50} ms**`).join(' | ')} |`,
    `| Semarize, p99 | ${stores.map((s) => `**${s.latencyP99} ms**`).join(' | ')} |`,
    `| Semarize, max | ${stores.map((s) => `${s.latencyMax} ms`).join(' | ')} |`,
    `| Baseline: bare insert → claim, p50 / p99 | ${stores.map((s) => `${s.bare.latencyP50} / ${s.bare.latencyP99} ms`).join(' | ')} |`,
  ].join('\n');

  const one = postgres?.topologies[0];
  const three = postgres?.topologies[1];
  const pct = (c: CpuPerRun | null) => (c ? `${Math.round(c.machineBusy * 100)}%` : 'n/a');
  const cpuTotal = (c: CpuPerRun | null) => (c ? (c.servers + (c.database ?? 0)).toFixed(2) : 'n/a');
  const scaling =
    one && three
      ? `On this machine three \`work\` processes drained at ${ratio(three.drainPerSecond / one.drainPerSecond)} the rate of one, and the
steady state ran at ${ratio(three.steadyPerSecond / one.steadyPerSecond)}. That measures contention, not scale-out: the
${cpus().length} cores are shared by PostgreSQL, the \`serve\` process, the workers and the load generator, and were
${pct(three.drainCpu)} busy during the three-worker drain (${pct(one.drainCpu)} with one worker). The CPU per run grows
too, from ${cpuTotal(one.drainCpu)} to ${cpuTotal(three.drainCpu)} ms (Semarize and PostgreSQL together): more processes and
connections take turns on the same cores, and every process hears every other one's wake-ups (each
finished run is a NOTIFY to all of them). Extra \`work\` processes pay off when they bring their own
cores, or when runs wait on a model rather than on the CPU.`
      : '';
  const sqliteColumn = columns[0]!;
  const drainRatios = columns.map((c) => c.t.drainPerSecond / c.store.bare.drainPerSecond);
  const storeLimit = `Against its own store, the server drains at ${drainRatios.map(ratio).join(', ')} of the bare
queue's rate${columns.length > 1 ? ' (columns left to right)' : ''}: the store is not what limits it. The rest goes to CPU in the
Node processes (HTTP, authentication, JSON, evaluating the Kit, the outbox event and its transaction)
and, on PostgreSQL, to the database's own work per statement and the round trips between processes.${
    sqliteColumn.t.steadyCpu && sqliteColumn.t.drainCpu
      ? `\n${sqliteColumn.t.drainCpu.serversCores >= 0.85 ? 'The embedded server is bound by its one Node process, which' : "The embedded server's one Node process"} kept ${Math.round(
          sqliteColumn.t.drainCpu.serversCores * 100,
        )}% of a core busy while draining and ${Math.round(sqliteColumn.t.steadyCpu.serversCores * 100)}% in the steady
state${
          Math.max(sqliteColumn.t.drainCpu.serversCores, sqliteColumn.t.steadyCpu.serversCores) > 1
            ? ' (above 100%: the Kit is evaluated on engine threads, and V8 collects garbage on helper threads)'
            : ''
        }.`
      : ''
  }${
    one
      ? `\nA drained run costs ${cpuTotal(sqliteColumn.t.drainCpu)} ms of CPU on SQLite, where the store is a library call inside
the one process, and ${cpuTotal(one.drainCpu)} ms on PostgreSQL (Semarize ${one.drainCpu?.servers.toFixed(2) ?? 'n/a'}, PostgreSQL
${one.drainCpu?.database?.toFixed(2) ?? 'n/a'}). On one machine SQLite does ${ratio(sqliteColumn.t.drainPerSecond / one.drainPerSecond)} PostgreSQL's one-worker drain
rate and ${ratio(sqliteColumn.t.steadyPerSecond / one.steadyPerSecond)} its steady state; PostgreSQL's case is more processes on more machines sharing one
store.`
      : ''
  }`;
  const postgresNote = postgres
    ? ''
    : '\nPostgreSQL was not measured in this run: DATABASE_URL was not set. Set it (e.g.\n`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench`) to add its columns.\n';

  return `## Runs per second and queue latency: SQLite and PostgreSQL

End-to-end throughput of the runs API with an engine that costs next to nothing: the starter Kit
\`${KIT}\` (six metric and tracker Bricks) on a two-line transcript, so what is measured is the server
and its store, not an engine. Every Semarize process is a real server process started with the roles
of \`semarize up|serve|work\` and default settings (${POOL_SIZE} database connections and 32 runs in flight per
process), rate limits off; the load comes from the benchmark process over loopback HTTP. The embedded
store runs as one \`up\` process (HTTP and executor together); PostgreSQL as one \`serve\` process and
one or three \`work\` processes on a fresh schema. Everything, PostgreSQL included, shares this
machine's ${cpus().length} cores.
${postgresNote}
- **Backlog drain**: ${options.backlog} async runs are queued with nothing executing them, then drained. Rate =
  runs ÷ (last \`completed_at\` − first \`started_at\`), the server's own timestamps. On SQLite a
  \`serve\` process creates the backlog and exits, then one \`work\` process drains it; on PostgreSQL
  the \`work\` processes are already running, paused (SIGSTOP) while the backlog is created and resumed
  together (SIGCONT), so no worker is still starting while the others drain.
- **Steady state**: ${options.concurrency} clients each create a sync run and wait for its result, then create the next
  (at most ${options.concurrency} runs in the system); runs completed per second over ${options.steadySeconds} s after a 1 s warm-up.
- **Baseline**, same store, same run: a bare queue table worked by plain SQL from one process: an
  INSERT per run, claims in batches with the executor's statement shape (\`FOR UPDATE SKIP LOCKED\`
  on PostgreSQL), and an UPDATE to finish each run, every statement its own transaction, with the
  input and output bytes of a real run; ${POOL_SIZE} connections on PostgreSQL, one on SQLite. No HTTP,
  authentication, engine, outbox event, lease or wake-up: the ceiling the store itself sets for a
  queue on this machine. The ratio says how much of it the server reaches.
- **CPU per run** comes from \`/proc\`: the Semarize processes together, this run's PostgreSQL
  backends (SQLite works inside the Semarize process), this benchmark process (load generator and
  progress polls), and the rest of the machine's busy time ("other": the kernel's share of loopback
  networking, and anything else that ran meanwhile; well above 0.2 ms, the run was disturbed).

${table}

Three \`work\` processes are a PostgreSQL-only figure. The embedded store is owned by one process:
its wake-ups are in-process function calls, so a second process on the same file would only notice
new runs through its one-second idle poll, and node:sqlite waits for the file's write lock
synchronously (up to its 2 s busy timeout, with the event loop blocked, then a 503). Several
processes on one SQLite file is not a supported layout, so it is not measured; scale-out is what
PostgreSQL is for (docs/operations.md).

${storeLimit}
${scaling ? `\n${scaling}\n` : ''}
### Queued → running latency, idle worker

Runs created one at a time on an otherwise idle system (each waited for before the next), latency =
\`started_at\` − \`created_at\` from the run. \`created_at\` is stamped when the create request starts
being handled (before validation and the insert), \`started_at\` when a worker claims the run; both are
millisecond timestamps, so 0 ms means under a millisecond and single-digit figures are quantised. On
SQLite the worker is in the same process (woken by a function call); on PostgreSQL it is a separate
\`work\` process, woken by LISTEN/NOTIFY. The baseline is the bare table: insert a row, then claim it as
soon as the claimer hears of it (on PostgreSQL from another connection, woken by a NOTIFY), stamped the
same way.

${latencyTable}
`;
}
