import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StoreUnavailableError } from '../store-unavailable.ts';
import { createPrivateDirectory, restrictStoreFiles } from './private-files.ts';
import { type CheckpointerOptions, WalCheckpointer } from './wal-checkpointer.ts';

type Params = Record<string, SQLInputValue>;
type Row = Record<string, unknown>;

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** SQLite result codes that mean "not now" rather than "wrong": busy, locked, I/O, full, cannot open. */
const UNAVAILABLE_CODES = new Set([5, 6, 10, 13, 14]);

/** The error as callers should see it: StoreUnavailableError (a 503) for "not now", else itself. */
function unavailableOr(error: unknown): unknown {
  const e = error as { code?: string; errcode?: number; message?: string };
  const primary = (e.errcode ?? 0) & 0xff;
  if (UNAVAILABLE_CODES.has(primary) || e.code === 'ERR_INVALID_STATE') {
    return new StoreUnavailableError(`SQLite unavailable: ${e.message ?? String(error)}`, { cause: error });
  }
  return error;
}

function translate(error: unknown): never {
  throw unavailableOr(error);
}

/**
 * Writes per group commit: one transaction of this many takes a few milliseconds, and the event
 * loop (timers, sockets) waits meanwhile.
 */
const MAX_BATCH = 256;

const MIGRATIONS_DIR = join(import.meta.dirname, '../migrations/sqlite');
/** The first line of a migration that must run with foreign keys off. */
const FOREIGN_KEYS_OFF = '-- foreign_keys: off\n';

/**
 * A node:sqlite connection with cached prepared statements and a transaction helper.
 * node:sqlite is synchronous, so a transaction never interleaves with other work in this process;
 * other processes (the CLI) are serialised by SQLite's own locking.
 */
export class SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #queued: QueuedWrite[] = [];
  #checkpointer: WalCheckpointer | null = null;
  /** Commits wait while the checkpoint thread catches up with the log (see #commitQueued). */
  #waitingForCheckpoint = false;

  /**
   * `backgroundCheckpoints`: checkpoint the WAL on a worker thread instead of in the commits of this
   * connection (long-lived server processes; short CLI commands keep SQLite's own).
   */
  constructor(
    path: string,
    options: {
      busyTimeoutMs?: number;
      /** `true`, or the checkpointer's tuning (tests use small figures). */
      backgroundCheckpoints?: boolean | CheckpointerOptions;
    } = {},
  ) {
    const onDisk = path !== ':memory:';
    if (onDisk) createPrivateDirectory(dirname(path));
    // node:sqlite waits for a lock synchronously, blocking the event loop: keep the wait short. Only
    // brief CLI writes (keys, kits) compete with the server for the write lock.
    this.#db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 2_000 });
    if (onDisk) restrictStoreFiles(path);
    // WAL: readers never block the writer. synchronous=NORMAL in WAL mode is durable across process
    // crashes (the case SPEC §3.1 promises); see docs/decisions.md for the power-loss trade-off.
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = NORMAL');
    this.#db.exec('PRAGMA foreign_keys = ON');
    // Once a checkpoint has caught up, the WAL file is truncated back to this size when it restarts.
    this.#db.exec(`PRAGMA journal_size_limit = ${64 * 1024 * 1024}`);
    // -wal and -shm left by an earlier version may predate the file modes.
    if (onDisk) restrictStoreFiles(path);
    this.#migrate();
    if (options.backgroundCheckpoints && path !== ':memory:') {
      this.#db.exec('PRAGMA wal_autocheckpoint = 0');
      this.#checkpointer = new WalCheckpointer(
        path,
        (error) => {
          // Never let the WAL grow without bound: commits checkpoint again, as SQLite does by default.
          if (this.#db.isOpen) this.#db.exec('PRAGMA wal_autocheckpoint = 1000');
          this.#checkpointer = null;
          process.emitWarning(`SQLite checkpoints are back on the main thread: ${String(error)}`);
        },
        options.backgroundCheckpoints === true ? {} : options.backgroundCheckpoints,
      );
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  all(sql: string, params: Params = {}): Row[] {
    try {
      return this.#statement(sql).all(params) as Row[];
    } catch (error) {
      translate(error);
    }
  }

  get(sql: string, params: Params = {}): Row | null {
    try {
      return (this.#statement(sql).get(params) as Row | undefined) ?? null;
    } catch (error) {
      translate(error);
    }
  }

  run(sql: string, params: Params = {}): number {
    try {
      return Number(this.#statement(sql).run(params).changes);
    } catch (error) {
      translate(error);
    }
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks).
   * Inside another transaction it runs in a savepoint: its own failure undoes only its own writes.
   */
  transaction<T>(work: () => T): T {
    if (this.#db.isTransaction) return this.#savepoint(work);
    try {
      this.#db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      translate(error);
    }
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #savepoint<T>(work: () => T): T {
    this.#db.exec('SAVEPOINT nested');
    try {
      const result = work();
      this.#db.exec('RELEASE nested');
      return result;
    } catch (error) {
      // An I/O error can end the whole transaction; then there is no savepoint left to undo.
      if (this.#db.isTransaction) {
        try {
          this.#db.exec('ROLLBACK TO nested');
          this.#db.exec('RELEASE nested');
        } catch {
          // The failed work could not be undone alone: undo the whole transaction rather than
          // commit part of it (a group commit then rejects every write in it).
          this.#db.exec('ROLLBACK');
        }
      }
      throw error;
    }
  }

  /**
   * Group commit: runs `work` as a transaction of its own, committed together with the other
   * writes queued in the same turn of the event loop, and settles once that COMMIT has returned
   * (in WAL mode with synchronous=NORMAL: durable across a crash of the process).
   * A commit's fixed cost (about 35 µs: writing the WAL frames) is then paid once per batch instead
   * of once per write, and a write that fails (a constraint, say) still undoes only itself.
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queued.length === 1) setImmediate(() => this.#commitQueued());
    });
  }

  #commitQueued(): void {
    if (this.#waitingForCheckpoint) return;
    const checkpointer = this.#checkpointer;
    if (checkpointer?.takeResetDue()) {
      // The log is long, and only a checkpoint that catches up lets the next write restart it; the
      // thread's never does while commits keep coming. So commits wait (queued, answered later)
      // while the thread checkpoints: this thread keeps serving reads, and does no I/O itself.
      this.#waitingForCheckpoint = true;
      void checkpointer.catchUp().then(() => {
        this.#waitingForCheckpoint = false;
        this.#commitQueued();
      });
      return;
    }
    this.#commitBatch();
  }

  #commitBatch(): void {
    const batch = this.#queued.splice(0, MAX_BATCH);
    // What did not fit goes in the next turn, after the I/O that arrived meanwhile.
    if (this.#queued.length > 0) setImmediate(() => this.#commitQueued());
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.transaction(() => {
        for (const { work } of batch) {
          try {
            outcomes.push({ ok: true, value: this.transaction(work) });
          } catch (error) {
            // The whole transaction ended (I/O error, disk full): none of the batch is stored.
            if (!this.#db.isTransaction) translate(error);
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const { reject } of batch) reject(unavailableOr(error));
      return;
    }
    for (const [i, { resolve, reject }] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.value);
    }
  }

  /** Closes the connection at once (committing queued writes first), then the checkpoint thread. */
  async close(): Promise<void> {
    // Writes already queued were promised a commit or an error: give them the commit.
    while (this.#queued.length > 0) this.#commitBatch();
    if (this.#db.isOpen) this.#db.close();
    const checkpointer = this.#checkpointer;
    this.#checkpointer = null;
    await checkpointer?.stop();
  }

  /** Applies numbered migrations that have not been applied yet, each in its own transaction. */
  #migrate(): void {
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_.+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = Number(file.slice(0, 4));
      if (this.get('SELECT 1 AS applied FROM schema_migrations WHERE version = $version', { version }))
        continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      // A migration that rebuilds a referenced table (SQLite's way to change a constraint) runs
      // with foreign keys off, which SQLite allows only outside a transaction, and is checked for
      // broken references before it commits.
      const withoutForeignKeys = sql.startsWith(FOREIGN_KEYS_OFF);
      if (withoutForeignKeys) this.#db.exec('PRAGMA foreign_keys = OFF');
      try {
        this.transaction(() => {
          // Another process opening the same file may have applied it meanwhile.
          if (this.get('SELECT 1 AS applied FROM schema_migrations WHERE version = $version', { version }))
            return;
          this.#db.exec(sql);
          if (withoutForeignKeys && this.get('PRAGMA foreign_key_check')) {
            throw new Error(`migration ${file} left rows that break a foreign key`);
          }
          this.run(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)',
            {
              version,
              name: file,
              at: Date.now(),
            },
          );
        });
      } finally {
        if (withoutForeignKeys) this.#db.exec('PRAGMA foreign_keys = ON');
      }
    }
  }
}
