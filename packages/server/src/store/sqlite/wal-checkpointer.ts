import { Worker } from 'node:worker_threads';
import { threadScript } from '../../thread-script.ts';

/** Often enough that the WAL stays small at thousands of commits a second; a no-op when idle. */
const INTERVAL_MS = 250;
/** 4,096 frames: about 16 MB of WAL. */
const RESET_FRAMES = 4_096;
/** About ten seconds of a busy or failing file before commits take checkpoints back. */
const MAX_FAILURES = 40;
/**
 * Longest commits wait for the thread to catch up. A healthy disk needs milliseconds; this only
 * bounds a stuck one, so that writes are delayed, never stopped (then the log keeps growing).
 */
const CATCH_UP_WAIT_MS = 5_000;

/**
 * Runs the WAL checkpoints of a database file on a worker thread. With SQLite's automatic
 * checkpoints, the connection whose commit crosses 1,000 WAL pages copies them into the database file
 * and fsyncs it, stalling every request on that thread; measured, that cost a quarter of the drain
 * rate once the file held some thousands of runs. The caller turns automatic checkpoints off while
 * this runs, and back on through `onFailure` if the thread fails.
 *
 * The thread cannot restart the log itself: SQLite restarts it when a write begins after a
 * checkpoint that caught up, and under steady writes the thread's checkpoints never quite do. So
 * once the log passes `resetFrames` it says so (`resetDue`), and the writer holds its commits while
 * the thread runs one more checkpoint (`catchUp`); the writer's next commit then restarts the log.
 * Most frames are already copied by then, so the wait is short, and the writer's thread goes on
 * serving reads meanwhile instead of copying pages and fsyncing itself.
 */
export interface CheckpointerOptions {
  /** Frames in the log past which the writer is asked to hold its commits. */
  resetFrames?: number;
  intervalMs?: number;
  /** Longest hold (default CATCH_UP_WAIT_MS). */
  catchUpWaitMs?: number;
  /**
   * Runs before each catch-up request reaches the thread, as a slow disk would delay it: tests use it
   * to hold commits for as long as they need.
   */
  beforeCatchUp?: () => Promise<void>;
}

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<unknown>;
  #stopped = false;
  #failed = false;
  #resetDue = false;
  /** Ends the current hold; `#catchUpSeq` numbers the requests, so a late answer ends nothing. */
  #caughtUp: (() => void) | null = null;
  #catchUpSeq = 0;
  readonly #catchUpWaitMs: number;
  readonly #beforeCatchUp: (() => Promise<void>) | undefined;

  constructor(path: string, onFailure: (error: unknown) => void, options: CheckpointerOptions = {}) {
    this.#catchUpWaitMs = options.catchUpWaitMs ?? CATCH_UP_WAIT_MS;
    this.#beforeCatchUp = options.beforeCatchUp;
    this.#worker = new Worker(threadScript(import.meta.url, 'wal-checkpoint-thread'), {
      workerData: {
        path,
        intervalMs: options.intervalMs ?? INTERVAL_MS,
        resetFrames: options.resetFrames ?? RESET_FRAMES,
        maxFailures: MAX_FAILURES,
      },
      // The thread needs no flags, and some of the process's (--input-type with -e) stop it loading.
      execArgv: [],
    });
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.on('message', (message: { resetDue?: number; caughtUp?: number }) => {
      if (message.resetDue) this.#resetDue = true;
      if (message.caughtUp === this.#catchUpSeq) this.#caughtUp?.();
    });
    // A thread that fails emits 'error' and then 'exit': report it once.
    const fail = (error: unknown) => {
      this.#caughtUp?.();
      if (this.#stopped || this.#failed) return;
      this.#failed = true;
      onFailure(error);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the WAL checkpoint thread exited (${code})`)));
  }

  /** True once after the thread found the log past its threshold: the writer should checkpoint. */
  takeResetDue(): boolean {
    const due = this.#resetDue;
    this.#resetDue = false;
    return due;
  }

  /**
   * Asks the thread for a checkpoint now, while the writer holds its commits; resolves when it is
   * done, or after CATCH_UP_WAIT_MS, or at once if the thread has stopped. Never rejects.
   */
  catchUp(): Promise<void> {
    if (this.#stopped || this.#failed || this.#caughtUp) return Promise.resolve();
    const seq = ++this.#catchUpSeq;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#caughtUp = null;
        // Asks that arrived during the hold are answered by it: the next commit restarts the log.
        this.#resetDue = false;
        resolve();
      };
      const timer = setTimeout(done, this.#catchUpWaitMs);
      this.#caughtUp = done;
      const ask = () => {
        if (this.#caughtUp === done) this.#worker.postMessage({ catchUp: seq });
      };
      if (this.#beforeCatchUp) void this.#beforeCatchUp().then(ask);
      else ask();
    });
  }

  /** Stops checkpointing; resolves once the thread has closed its connection. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#caughtUp?.();
    // Waiting for the thread must keep the process alive, or it may end before the thread has.
    this.#worker.ref();
    this.#worker.postMessage({ stop: true });
    await this.#exited;
  }
}
