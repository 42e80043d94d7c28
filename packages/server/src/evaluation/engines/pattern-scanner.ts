import { Worker } from 'node:worker_threads';

/** [pattern index, text index, start offset, matched text] */
export type FoundMatch = [number, number, number, string];

export interface ScanPattern {
  source: string;
  flags: string;
}

interface PendingScan {
  seq: number;
  request: { seq: number; patterns: ScanPattern[]; texts: readonly string[]; limit: number };
  timeoutMs: number;
  resolve: (found: FoundMatch[] | null) => void;
}

interface ScanThread {
  worker: Worker;
  ready: boolean;
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

  /** The matches, or null when the scan ran past `timeoutMs` (or its thread died). */
  scan(patterns: ScanPattern[], texts: readonly string[], limit: number, timeoutMs: number) {
    return new Promise<FoundMatch[] | null>((resolve) => {
      const seq = ++this.#seq;
      this.#submit({ seq, request: { seq, patterns, texts, limit }, timeoutMs, resolve });
    });
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
    const thread: ScanThread = { worker, ready: false, queue: [], timer: null };
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
      scan.resolve(message.found ?? []);
      this.#timeHead(thread);
    });
    // A thread that dies is treated like a scan past its limit: the running scan is given up.
    worker.on('error', () => {});
    worker.once('exit', () => this.#giveUpHead(thread));
    return thread;
  }

  #timeHead(thread: ScanThread): void {
    const head = thread.queue[0];
    if (!head) {
      thread.worker.unref();
      return;
    }
    thread.timer = setTimeout(() => this.#giveUpHead(thread), head.timeoutMs);
  }

  /** Stops the thread, answers null to the scan it was running, and resubmits the rest. */
  #giveUpHead(thread: ScanThread): void {
    if (this.#thread !== thread) return;
    this.#thread = null;
    if (thread.timer) clearTimeout(thread.timer);
    void thread.worker.terminate();
    const [head, ...rest] = thread.queue;
    thread.queue = [];
    head?.resolve(null);
    for (const scan of rest) this.#submit(scan);
  }
}
