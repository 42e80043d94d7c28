/**
 * The baseline of the store benchmark: a bare queue table on the same store, worked by plain SQL
 * from one process. Each run is the least a queue can do: one INSERT (queued), a claim (the same
 * statement shape as the executor's: a batch of the oldest queued rows, SKIP LOCKED on PostgreSQL)
 * and one UPDATE to finish it, each statement its own transaction, with the same input and output
 * bytes as a real run. No HTTP, no authentication, no engine, no outbox event, no lease heartbeat.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import pg from 'pg';

type Row = Record<string, unknown>;

interface BareDb {
  dialect: 'sqlite' | 'postgres';
  /** `$1, $2…` placeholders on both stores. */
  query(sql: string, params?: SQLInputValue[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface BareQueueFigures {
  /** Concurrent callers of the insert, lifecycle and claim-and-finish phases. */
  concurrency: number;
  /** PostgreSQL connections (SQLite: one synchronous connection). */
  connections: number;
  insertsPerSecond: number;
  /** Claim-and-finish of a backlog of `rows` queued rows. */
  drainPerSecond: number;
  /** Insert, claim and finish per run, `concurrency` runs at a time. */
  lifecyclePerSecond: number;
  /** created_at → started_at in ms (Date.now(), as the server stamps them), one run at a time. */
  latencyP50: number;
  latencyP99: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function sqliteDb(path: string): BareDb {
  const db = new DatabaseSync(path, { timeout: 2_000 });
  // The embedded store's own settings (packages/server/src/store/sqlite/database.ts).
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  return {
    dialect: 'sqlite',
    async query(sql, params = []) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql.replace(/\$(\d+)/g, '?$1'));
        statements.set(sql, statement);
      }
      return statement.all(...params) as Row[];
    },
    async close() {
      db.close();
    },
  };
}

function postgresDb(url: string, connections: number): BareDb {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      return (await pool.query(sql, params as unknown[])).rows as Row[];
    },
    close: () => pool.end(),
  };
}

/** Runs `work(i)` for i in [0, count) with `concurrency` callers; returns the elapsed seconds. */
async function timed(count: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * Claims up to `slots` rows whenever slots are free and finishes each as soon as it is claimed,
 * as the executor does; returns when no queued row is left and nothing is in flight.
 */
async function drain(db: BareDb, slots: number, finish: (id: string) => Promise<void>): Promise<void> {
  const claim =
    db.dialect === 'postgres'
      ? `WITH next AS (
           SELECT id FROM bare_runs WHERE status = 'queued' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
         )
         UPDATE bare_runs r SET status = 'running', worker_id = 'bare', started_at = $2
         FROM next WHERE r.id = next.id RETURNING r.id, r.input`
      : `UPDATE bare_runs SET status = 'running', worker_id = 'bare', started_at = $2
         WHERE id IN (SELECT id FROM bare_runs WHERE status = 'queued' ORDER BY id LIMIT $1)
         RETURNING id, input`;
  let inFlight = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const idle = () => new Promise<void>((resolve) => (wake = resolve));
  for (;;) {
    if (failure) throw failure;
    const free = slots - inFlight;
    if (free <= 0) {
      await idle();
      continue;
    }
    const rows = await db.query(claim, [free, Date.now()]);
    if (rows.length === 0) {
      if (inFlight === 0) return;
      await idle();
      continue;
    }
    for (const row of rows) {
      inFlight++;
      finish(String(row['id'])).then(
        () => {
          inFlight--;
          const w = wake;
          wake = null;
          w?.();
        },
        (error: unknown) => {
          failure = error;
          inFlight--;
          const w = wake;
          wake = null;
          w?.();
        },
      );
    }
  }
}

export async function measureBareQueue(options: {
  /** A SQLite file path, or a PostgreSQL URL whose search_path is a fresh schema. */
  target: { sqlitePath: string } | { postgresUrl: string };
  rows: number;
  concurrency: number;
  connections: number;
  latencyRuns: number;
  /** The stored input and output of a real run, so both sides write the same bytes. */
  inputJson: string;
  outputJson: string;
}): Promise<BareQueueFigures> {
  const { rows, concurrency, inputJson, outputJson } = options;
  const db =
    'sqlitePath' in options.target
      ? sqliteDb(options.target.sqlitePath)
      : postgresDb(options.target.postgresUrl, options.connections);
  const text = db.dialect === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT';
  await db.query(`CREATE TABLE bare_runs (
    id ${text} PRIMARY KEY, status TEXT NOT NULL, input TEXT NOT NULL, output TEXT, worker_id TEXT,
    created_at BIGINT NOT NULL, started_at BIGINT, completed_at BIGINT)`);
  await db.query(`CREATE INDEX bare_runs_queued ON bare_runs (id) WHERE status = 'queued'`);
  const insert = `INSERT INTO bare_runs (id, status, input, created_at) VALUES ($1, 'queued', $2, $3)`;
  const finish = async (id: string) => {
    await db.query(
      `UPDATE bare_runs SET status = 'succeeded', output = $2, completed_at = $3 WHERE id = $1`,
      [id, outputJson, Date.now()],
    );
  };
  const id = (phase: string, i: number) => `${phase}_${String(i).padStart(9, '0')}`;
  try {
    // A backlog, then its drain: what the Semarize backlog phase does, minus everything but SQL.
    const insertSeconds = await timed(rows, concurrency, async (i) => {
      await db.query(insert, [id('a', i), inputJson, Date.now()]);
    });
    const drainStart = performance.now();
    await drain(db, concurrency, finish);
    const drainSeconds = (performance.now() - drainStart) / 1000;

    // Steady state: each caller inserts a run, claims it and finishes it, then starts the next.
    const lifecycleSeconds = await timed(rows, concurrency, async (i) => {
      const runId = id('b', i);
      await db.query(insert, [runId, inputJson, Date.now()]);
      await db.query(
        `UPDATE bare_runs SET status = 'running', worker_id = 'bare', started_at = $2 WHERE id = $1 AND status = 'queued'`,
        [runId, Date.now()],
      );
      await finish(runId);
    });

    // Latency floor, one run at a time on an idle store: insert, then the claimer hears of it and
    // stamps started_at. On PostgreSQL the claimer is another connection woken by LISTEN/NOTIFY, as
    // a `work` process is; on SQLite the wake-up is a function call, as it is in `semarize up`.
    const latencies: number[] = [];
    let listener: pg.Client | null = null;
    let notified: (() => void) | null = null;
    if ('postgresUrl' in options.target) {
      listener = new pg.Client({ connectionString: options.target.postgresUrl });
      await listener.connect();
      listener.on('notification', () => notified?.());
      await listener.query('LISTEN bare_queue');
    }
    try {
      for (let i = 0; i < options.latencyRuns; i++) {
        const runId = id('c', i);
        const createdAt = Date.now();
        const heard = listener ? new Promise<void>((resolve) => (notified = resolve)) : null;
        await db.query(insert, [runId, inputJson, createdAt]);
        if (listener) await db.query('NOTIFY bare_queue');
        await heard;
        const startedAt = Date.now();
        const claimed = await db.query(
          `UPDATE bare_runs SET status = 'running', worker_id = 'bare', started_at = $2 WHERE id = $1 AND status = 'queued' RETURNING id`,
          [runId, startedAt],
        );
        if (claimed.length !== 1) throw new Error('bare claim missed its row');
        await finish(runId);
        latencies.push(startedAt - createdAt);
      }
    } finally {
      await listener?.end();
    }
    latencies.sort((a, b) => a - b);
    return {
      concurrency,
      connections: db.dialect === 'postgres' ? options.connections : 1,
      insertsPerSecond: rows / insertSeconds,
      drainPerSecond: rows / drainSeconds,
      lifecyclePerSecond: rows / lifecycleSeconds,
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
    };
  } finally {
    await db.query('DROP TABLE bare_runs').catch(() => {});
    await db.close();
  }
}
