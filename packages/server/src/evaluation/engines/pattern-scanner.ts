import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** [pattern index, text index, start offset, matched text] */
export type FoundMatch = [number, number, number, string];

/** Long enough for a cold start of the thread (loading its module), which is not the scan's time. */
const START_TIMEOUT_MS = 10_000;
const DONE = 0;
const READY = 1;

interface ScanThread {
  worker: Worker;
  port: MessagePort;
  state: Int32Array;
  seq: number;
}

/**
 * Runs pattern scans synchronously on a worker thread with a time limit: the caller's thread
 * blocks (Atomics.wait) until the answer or the limit, and a scan past the limit terminates the
 * thread, which is started again for the next scan.
 */
export class PatternScanner {
  readonly #script: URL;
  #thread: ScanThread | null = null;

  constructor(script: URL) {
    this.#script = script;
  }

  /** The matches, or null when the scan ran past `timeoutMs`. */
  scan(
    patterns: { source: string; flags: string }[],
    texts: readonly string[],
    limit: number,
    timeoutMs: number,
  ): FoundMatch[] | null {
    const thread = this.#started();
    thread.seq += 1;
    const seq = thread.seq;
    thread.port.postMessage({ seq, patterns, texts, limit });
    const deadline = performance.now() + timeoutMs;
    // Atomics.wait can wake spuriously (and returns at once if the value already changed).
    while (Atomics.load(thread.state, DONE) !== seq) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.#stop(thread);
        return null;
      }
      Atomics.wait(thread.state, DONE, seq - 1, left);
    }
    const reply = receiveMessageOnPort(thread.port)?.message as
      | { seq: number; found: FoundMatch[] }
      | undefined;
    if (!reply || reply.seq !== seq) throw new Error(`pattern scan ${seq} got no answer from its thread`);
    return reply.found;
  }

  #started(): ScanThread {
    if (this.#thread) return this.#thread;
    const { port1, port2 } = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(this.#script, {
      workerData: { port: port2, state },
      transferList: [port2],
      // The thread needs no flags, and some of the process's (--input-type with -e) stop it loading.
      execArgv: [],
    });
    // Neither keeps the process alive: the thread only ever works while a scan waits for it.
    worker.unref();
    port1.unref();
    const thread = { worker, port: port1, state, seq: 0 };
    // A thread that dies is noticed as a scan past its limit; the next scan starts a new one.
    worker.on('error', () => {});
    worker.once('exit', () => {
      if (this.#thread === thread) this.#thread = null;
    });
    if (Atomics.wait(state, READY, 0, START_TIMEOUT_MS) === 'timed-out') {
      this.#stop(thread);
      throw new Error('the pattern scan thread did not start');
    }
    this.#thread = thread;
    return thread;
  }

  #stop(thread: ScanThread): void {
    if (this.#thread === thread) this.#thread = null;
    thread.port.close();
    void thread.worker.terminate();
  }
}
