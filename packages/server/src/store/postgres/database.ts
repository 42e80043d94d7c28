import { Client, type ClientConfig, Pool, type PoolClient } from 'pg';
import { isConnectionError, isRetryableConflict, translateError } from './connection-errors.ts';
import { applyMigrations } from './migrate.ts';
import { compile, valuesFor } from './named-parameters.ts';

type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** Runs SQL with `$name` parameters: the pool, or one connection inside a transaction. */
export interface Sql {
  all(sql: string, params?: Params): Promise<Row[]>;
  get(sql: string, params?: Params): Promise<Row | null>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: Params): Promise<number>;
}

export interface PostgresOptions {
  url: string;
  /** Connections this process keeps at most. */
  poolSize: number;
  /** Longest a statement may run on the server before it is cancelled (503, not a hung request). */
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity; an `application_name` in the URL wins. */
  applicationName: string;
}

/** Longest wait for a free pooled connection, or for a new connection to open. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Conflicts PostgreSQL asks us to retry (serialization failures, deadlocks). */
const TRANSACTION_ATTEMPTS = 3;

interface Queryable {
  query(query: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/**
 * Prepared statements: each connection parses and plans a statement once, then only binds and
 * executes it (PostgreSQL switches to a generic plan after five runs when that costs no more).
 * Parsing and planning were half of PostgreSQL's CPU per run (measured, docs/benchmarks.md).
 * A column added to a table by a newer process's migration invalidates a prepared `SELECT *` for
 * good ("cached plan must not change result type", SQLSTATE 0A000): then every statement gets a new
 * name (a new generation), which prepares it afresh, and the call is retried once; in a
 * transaction, which that error has aborted, transaction() retries the whole transaction.
 */
let generation = 0;
/** Only this 0A000 ("feature not supported") means a stale prepared statement. */
const isPlanChanged = (error: unknown) => {
  const e = error as { code?: string; routine?: string } | null;
  return e?.code === '0A000' && e.routine === 'RevalidateCachedQuery';
};

function sqlOn(target: Queryable, inTransaction: boolean): Sql {
  const exec = async (sql: string, params: Params) => {
    const compiled = compile(sql);
    const values = valuesFor(compiled, params);
    const used = generation;
    const query = (g: number) => target.query({ name: `s${g}_${compiled.id}`, text: compiled.text, values });
    try {
      return await query(used);
    } catch (error) {
      if (!isPlanChanged(error)) throw error;
      // Calls in flight during a migration all fail once: the first of them starts the new names.
      if (generation === used) generation++;
      if (inTransaction) throw error;
      return await query(generation);
    }
  };
  return {
    all: async (sql, params = {}) => (await exec(sql, params)).rows,
    get: async (sql, params = {}) => (await exec(sql, params)).rows[0] ?? null,
    run: async (sql, params = {}) => (await exec(sql, params)).rowCount ?? 0,
  };
}

/**
 * A node-postgres pool with `$name` parameters, a transaction helper, migrations applied before
 * the first statement, and every connection failure reported as StoreUnavailableError.
 */
export class PostgresDatabase implements Sql {
  readonly #connection: ClientConfig;
  readonly #pool: Pool;
  readonly #sql: Sql;
  #migrated = false;
  #migrating: Promise<void> | null = null;
  /** The migration started on opening; its failure, if nothing succeeded since. */
  readonly #opening: Promise<unknown>;
  #closed = false;

  constructor(options: PostgresOptions) {
    this.#connection = {
      connectionString: options.url,
      application_name: options.applicationName,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    };
    this.#pool = new Pool({
      ...this.#connection,
      max: options.poolSize,
      statement_timeout: options.statementTimeoutMs,
      // A connection whose peer vanished without a reset answers nothing: give up on it a little
      // after the server would have cancelled the statement anyway.
      query_timeout: options.statementTimeoutMs + CONNECT_TIMEOUT_MS,
      // A transaction left open by a stuck process would hold row locks and stop vacuum.
      idle_in_transaction_session_timeout: Math.max(60_000, options.statementTimeoutMs * 2),
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that dies (server restart, admin kill) is dropped by the pool and replaced
    // on the next query; without a listener the error would crash the process.
    this.#pool.on('error', () => {});
    // A checked-out connection has no pool listener (pg-pool removes it while a client is lent out),
    // so one killed between two statements of a transaction would crash the process. Each client
    // keeps its own: the next query on it fails, and that failure is a StoreUnavailableError.
    this.#pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    this.#sql = sqlOn(this.#pool as unknown as Queryable, false);
    // Start migrating at once (`semarize migrate` only opens and closes the store).
    this.#opening = this.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  /** Migrations run once, before the first statement; after a failure the next statement retries. */
  async ready(): Promise<void> {
    if (this.#migrated) return;
    this.#migrating ??= (async () => {
      // Its own connection, without the pool's timeouts: waiting for another process's migrations
      // (the advisory lock), or a long migration, is not a stuck statement.
      const client = new Client(this.#connection);
      client.on('error', () => {});
      try {
        await client.connect();
        await applyMigrations(client);
        this.#migrated = true;
      } finally {
        await client.end().catch(() => {});
      }
    })().finally(() => {
      this.#migrating = null;
    });
    try {
      await this.#migrating;
    } catch (error) {
      throw translateError(error);
    }
  }

  async all(sql: string, params?: Params): Promise<Row[]> {
    return this.#call(() => this.#sql.all(sql, params));
  }

  async get(sql: string, params?: Params): Promise<Row | null> {
    return this.#call(() => this.#sql.get(sql, params));
  }

  async run(sql: string, params?: Params): Promise<number> {
    return this.#call(() => this.#sql.run(sql, params));
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await work();
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on one connection; rolls back if it throws.
   * Serialization failures, deadlocks and statements prepared before a schema change are retried;
   * a lost connection is reported as StoreUnavailableError (a COMMIT that lost its connection may or
   * may not have applied).
   */
  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw translateError(error);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(sqlOn(client as unknown as Queryable, true));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isConnectionError(error);
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        const retryable = isRetryableConflict(error) || isPlanChanged(error);
        if (!broken && retryable && attempt < TRANSACTION_ATTEMPTS) continue;
        throw translateError(error);
      } finally {
        // A broken connection is closed rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  /** Closes the pool; rejects when the schema could never be migrated (so `semarize migrate` fails). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const openingFailure = await this.#opening;
    await this.#migrating?.catch(() => {});
    await this.#pool.end();
    if (openingFailure !== undefined && !this.#migrated) throw openingFailure;
  }
}
