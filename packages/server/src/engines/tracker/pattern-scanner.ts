import { Worker } from 'node:worker_threads';

/** [pattern index, text index, start offset, matched text] */
export type FoundMatch = [number, number, number, string];

export interface ScanPattern {
  source: string;
  flags: string;
}

/** What a scan found (null: it ran past its limit), and how long the thread spent on it. */
export interface ScanOutcome {
  found: FoundMatch[] | null;
  ranMs: number;
}

interface PendingScan {
  seq: number;
  request: { seq: number; patterns: ScanPattern[]; texts: readonly string[]; limit: number };
  timeoutMs: number;
  /** When the thread began this scan (it is the head of the queue), for ScanOutcome.ranMs. */
  startedAt?: number;
  resolve: (outcome: ScanOutcome) => void;
  reject: (error: unknown) => void;
  /** Its caller gave up on it (aborted): its answer is ignored, and it is not sent again. */
  withdrawn?: boolean;
}

interface ScanThread {
  worker: Worker;
  ready: boolean;
  /** Why the thread failed, when it did ('error' comes before 'exit'). */
  error: unknown;
  /** Scans sent to the thread, in the order it answers them; the first is the one running. */
  queue: PendingScan[];
  timer: NodeJS.Timeout | null;
}

/**
 * Runs pattern scans on a worker thread, one at a time in the order asked, each with a time limit
 * that starts when the thread begins it. A scan past its limit terminates the thread: it answers
 * null, and the scans queued behind it go to a new thread. The caller's thread stays free while a
 * scan runs.
 */
export class PatternScanner {
  readonly #script: URL;
  #thread: ScanThread | null = null;
  #seq = 0;

  constructor(script: URL) {
    this.#script = script;
  }

  /**
   * The matches, or null when the scan ran past `timeoutMs` (or its thread died while running it),
   * with the time the thread spent on it (not the time it waited behind other scans).
   * Rejects when the thread cannot start, and with the signal's reason when the signal aborts
   * before the thread has begun the scan (a scan already running finishes or times out).
   */
  scan(
    patterns: ScanPattern[],
    texts: readonly string[],
    limit: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ) {
    return new Promise<ScanOutcome>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const seq = ++this.#seq;
      const scan: PendingScan = { seq, request: { seq, patterns, texts, limit }, timeoutMs, resolve, reject };
      const onAbort = () => this.#withdraw(scan, signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(settler: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          settler(value);
        };
      scan.resolve = settle(resolve);
      scan.reject = settle(reject);
      this.#submit(scan);
    });
  }

  /** Answers an aborted scan that the thread has not begun with the abort reason. */
  #withdraw(scan: PendingScan, reason: unknown): void {
    const thread = this.#thread;
    const at = thread?.queue.indexOf(scan) ?? -1;
    if (!thread || at <= 0) return; // running (or already answered): let it finish
    scan.reject(reason);
    scan.withdrawn = true;
    scan.resolve = () => {};
    scan.reject = () => {};
    // Not sent yet: drop it. Sent: the thread will run it anyway, so it keeps its place in the
    // queue, and each scan's time limit still starts when the thread begins that scan.
    if (!thread.ready) thread.queue.splice(at, 1);
  }

  #submit(scan: PendingScan): void {
    const thread = this.#thread ?? this.#start();
    thread.queue.push(scan);
    // Only a pending scan keeps the process alive; an idle thread never does.
    thread.worker.ref();
    if (!thread.ready) return;
    thread.worker.postMessage(scan.request);
    if (thread.queue.length === 1) this.#timeHead(thread);
  }

  #start(): ScanThread {
    const worker = new Worker(this.#script, {
      // The thread needs no flags, and some of the process's (--input-type with -e) stop it loading.
      execArgv: [],
    });
    const thread: ScanThread = { worker, ready: false, error: null, queue: [], timer: null };
    this.#thread = thread;
    worker.on('message', (message: { ready?: true; seq?: number; found?: FoundMatch[] }) => {
      if (message.ready) {
        thread.ready = true;
        for (const scan of thread.queue) worker.postMessage(scan.request);
        this.#timeHead(thread);
        return;
      }
      // The thread answers in order; anything else is a broken thread, so it goes.
      if (thread.queue[0]?.seq !== message.seq) return this.#giveUpHead(thread);
      const scan = thread.queue.shift()!;
      if (thread.timer) clearTimeout(thread.timer);
      thread.timer = null;
      scan.resolve({ found: message.found ?? [], ranMs: ranFor(scan) });
      this.#timeHead(thread);
    });
    // A thread that dies while scanning is treated like a scan past its limit: that scan is given
    // up. One that never started fails every scan waiting for it: its patterns did not run at all.
    worker.on('error', (error) => {
      thread.error = error;
    });
    worker.once('exit', (code) => {
      if (thread.ready) return this.#giveUpHead(thread);
      if (this.#thread === thread) this.#thread = null;
      const cause = thread.error ?? new Error(`exit code ${code}`);
      for (const scan of thread.queue.splice(0)) {
        scan.reject(new Error('the pattern scan thread did not start', { cause }));
      }
    });
    return thread;
  }

  #timeHead(thread: ScanThread): void {
    const head = thread.queue[0];
    if (!head) {
      thread.worker.unref();
      return;
    }
    head.startedAt = performance.now();
    thread.timer = setTimeout(() => {
      // Let an answer that is already waiting (this thread was busy past the limit) arrive first.
      setImmediate(() => {
        if (thread.queue[0] === head) this.#giveUpHead(thread);
      });
    }, head.timeoutMs);
  }

  /** Stops the thread, answers null to the scan it was running, and resubmits the rest. */
  #giveUpHead(thread: ScanThread): void {
    if (this.#thread !== thread) return;
    this.#thread = null;
    if (thread.timer) clearTimeout(thread.timer);
    void thread.worker.terminate();
    const [head, ...rest] = thread.queue;
    thread.queue = [];
    head?.resolve({ found: null, ranMs: ranFor(head) });
    for (const scan of rest) if (!scan.withdrawn) this.#submit(scan);
  }
}

function ranFor(scan: PendingScan): number {
  return scan.startedAt === undefined ? 0 : performance.now() - scan.startedAt;
}
