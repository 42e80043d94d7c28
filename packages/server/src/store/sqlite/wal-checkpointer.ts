import { Worker } from 'node:worker_threads';

/** Often enough that the WAL stays small at thousands of commits a second; a no-op when idle. */
const INTERVAL_MS = 250;

/**
 * Runs the WAL checkpoints of a database file on a worker thread. With SQLite's automatic
 * checkpoints, the connection whose commit crosses 1,000 WAL pages copies them into the database file
 * and fsyncs it, stalling every request on that thread; measured, that cost a quarter of the drain
 * rate once the file held some thousands of runs. The caller turns automatic checkpoints off while
 * this runs, and back on through `onFailure` if the thread dies.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<unknown>;
  #stopped = false;

  constructor(path: string, onFailure: (error: unknown) => void) {
    this.#worker = new Worker(new URL('./wal-checkpoint-thread.ts', import.meta.url), {
      workerData: { path, intervalMs: INTERVAL_MS },
      // The thread needs no flags, and some of the process's (--input-type with -e) stop it loading.
      execArgv: [],
    });
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.on('error', (error) => {
      if (!this.#stopped) onFailure(error);
    });
    this.#worker.on('exit', (code) => {
      if (!this.#stopped) onFailure(new Error(`the WAL checkpoint thread exited (${code})`));
    });
  }

  /** Stops checkpointing; resolves once the thread has closed its connection. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // Waiting for the thread must keep the process alive, or it may end before the thread has.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
