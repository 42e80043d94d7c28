import { Worker } from 'node:worker_threads';
import { type Clock, systemClock } from '../clock.ts';
import { enginePlugin } from '../engines/registry.ts';
import { PatternQuarantine } from '../engines/tracker/guarded-patterns.ts';
import type { Conversation } from '../evaluation/conversation.ts';
import type { Engine, EngineInput, EngineOutput } from '../evaluation/engine.ts';
import { type ConversationLimits, type Preparation, prepareInput } from '../evaluation/prepare-input.ts';
import { FairQueue } from '../fair-queue.ts';
import { threadScript } from '../thread-script.ts';
import {
  type EvaluateReply,
  fromThreadError,
  type ThreadReply,
  type ThreadRequest,
} from './thread-messages.ts';

export interface EngineThreadsOptions {
  /** Threads working at once. */
  threads: number;
  /** Time all of one run's tracker patterns may take together (SPEC §9.3). */
  patternBudgetMs: number;
  /** Heap each thread may use: a thread past it dies, failing only the work it was doing. */
  maxThreadHeapMb?: number;
  /** Dates slow-pattern quarantine. */
  clock?: Clock;
}

/**
 * Inputs whose JSON is at most this long are normalised on the caller's thread: it takes well
 * under a millisecond, less than a hand-off to a thread would.
 */
export const INLINE_PREPARE_MAX_CHARS = 64 * 1024;

/**
 * A deterministic engine's Bricks whose estimated work (evaluationWork) is at most this are run on
 * the caller's thread: about a millisecond of CPU, less than the hand-off to a thread costs
 * (docs/decisions.md, "Small runs evaluated inline").
 */
export const INLINE_EVALUATE_MAX_WORK = 16 * 1024;
/** Compiling a tracked phrase costs about as much as one Brick reading 100 characters. */
const WORK_PER_TERM = 100;

/**
 * The work of evaluating `bricks` on `conversation`, in Brick-characters: every Brick reads the
 * whole text (a metric's breakdown reads it again per side and speaker, still in proportion), and
 * a tracker's phrases and patterns are compiled on the thread that runs it.
 */
export function evaluationWork(bricks: EngineInput['bricks'], conversation: Conversation): number {
  let terms = 0;
  for (const brick of bricks)
    terms += (brick.tracker?.phrases.length ?? 0) + (brick.tracker?.patterns.length ?? 0);
  return bricks.length * conversation.text.length + WORK_PER_TERM * terms;
}
const DEFAULT_THREAD_HEAP_MB = 256;
const YOUNG_GENERATION_MB = 24;

interface Job {
  id: number;
  workspaceId: string;
  request: ThreadRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/**
 * The CPU-heavy part of evaluation, off the thread that serves HTTP (SPEC §9.4): normalising large
 * inputs, and the deterministic engines. Work waits in a queue per workspace served round robin,
 * so a workspace with many heavy runs delays another's by one piece of work at most; a piece whose
 * run is cancelled or past its deadline stops at once (its thread is terminated and replaced).
 * Small pieces are done on the caller's thread, where they cost less than the hand-off. Slow-pattern
 * quarantine lives here, per workspace: used by the pieces done here, and lent to each sent away.
 */
export class EngineThreads {
  readonly #options: EngineThreadsOptions;
  readonly #queue = new FairQueue<Job>();
  readonly #slots: Slot[] = [];
  readonly #quarantine: PatternQuarantine;
  readonly #inlineEngines = new Map<string, Promise<Engine>>();
  readonly #evaluations = { inline: 0, onThreads: 0 };
  #nextId = 0;
  #closed = false;

  constructor(options: EngineThreadsOptions) {
    if (options.threads < 1) throw new Error('EngineThreads needs at least one thread');
    this.#options = options;
    this.#quarantine = new PatternQuarantine(options.clock ?? systemClock);
  }

  /** The process's slow-pattern quarantine, for any other engine made on this thread. */
  get quarantine(): PatternQuarantine {
    return this.#quarantine;
  }

  /** Engine calls (evaluate) so far, by where they ran. */
  get evaluations(): Readonly<{ inline: number; onThreads: number }> {
    return { ...this.#evaluations };
  }

  /** Normalises and checks a run's input: on this thread when it is small, else on an engine thread. */
  prepareInput(workspaceId: string, inputJson: string, limits: ConversationLimits): Promise<Preparation> {
    if (inputJson.length <= INLINE_PREPARE_MAX_CHARS) return Promise.resolve(prepareInput(inputJson, limits));
    return this.#run(workspaceId, { kind: 'prepare', inputJson, limits }, undefined) as Promise<Preparation>;
  }

  /**
   * Runs a deterministic engine's Bricks of one run: on this thread when the work is small, else on
   * an engine thread; rejects with the signal's reason on abort.
   */
  async evaluate(engine: string, input: EngineInput): Promise<EngineOutput> {
    const { bricks, conversation, context, preparedJson, workspaceId, signal } = input;
    if (evaluationWork(bricks, conversation) <= INLINE_EVALUATE_MAX_WORK) {
      this.#evaluations.inline++;
      return (await this.#inlineEngine(engine))(input);
    }
    this.#evaluations.onThreads++;
    const reply = (await this.#run(
      workspaceId,
      {
        kind: 'evaluate',
        engine,
        bricks,
        input: preparedJson === undefined ? { conversation, context } : { preparedJson },
        workspaceId,
        quarantined: this.#quarantine.keysOf(workspaceId),
        patternBudgetMs: this.#options.patternBudgetMs,
      },
      signal,
    )) as EvaluateReply;
    this.#quarantine.addKeys(workspaceId, reply.quarantined);
    return reply.output;
  }

  /** The engine as an engine thread makes it, made here once (its compiled Bricks are kept). */
  #inlineEngine(name: string): Promise<Engine> {
    let engine = this.#inlineEngines.get(name);
    if (!engine) {
      const plugin = enginePlugin(name);
      if (plugin?.runsOn !== 'engine-thread')
        return Promise.reject(new Error(`engine "${name}" does not run on engine threads`));
      const context = {
        config: null,
        quarantine: this.#quarantine,
        patternBudgetMs: this.#options.patternBudgetMs,
      };
      engine = plugin.load().then((create) => create(context));
      this.#inlineEngines.set(name, engine);
    }
    return engine;
  }

  /**
   * Starts every thread now, so the first run does not wait for one to load (a thread takes a few
   * hundred milliseconds to start, which a short run deadline would notice). Idle threads never
   * keep the process alive.
   */
  warmUp(): void {
    while (!this.#closed && this.#slots.length < this.#options.threads) this.#newSlot()?.worker.unref();
  }

  /** Stops every thread; work still waiting or running rejects. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing = new Error('the engine threads were closed');
    for (let job = this.#queue.shift(); job; job = this.#queue.shift())
      this.#settle(job, () => job.reject(closing));
    await Promise.all(
      this.#slots.splice(0).map((slot) => {
        if (slot.job) this.#settle(slot.job, () => slot.job?.reject(closing));
        return slot.worker.terminate();
      }),
    );
  }

  #run(workspaceId: string, request: ThreadRequest, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new Error('the engine threads were closed'));
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = {
        id: ++this.#nextId,
        workspaceId,
        request,
        resolve,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        job.onAbort = () => this.#abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(workspaceId, job);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.size > 0) {
      const slot = this.#slots.find((s) => s.job === null) ?? this.#newSlot();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, request: job.request });
    }
  }

  #newSlot(): Slot | null {
    if (this.#slots.length >= this.#options.threads) return null;
    const worker = new Worker(threadScript(import.meta.url, 'engine-thread'), {
      // The thread needs no flags, and some of the process's (--input-type with -e) stop it loading.
      execArgv: [],
      resourceLimits: {
        maxOldGenerationSizeMb: this.#options.maxThreadHeapMb ?? DEFAULT_THREAD_HEAP_MB,
        // As the process's own --max-semi-space-size=8: short-lived garbage (tokens, matches) is
        // collected early instead of growing each thread's resident memory.
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
    });
    const slot: Slot = { worker, job: null };
    this.#slots.push(slot);
    worker.on('message', (reply: ThreadReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      slot.worker.unref();
      if (reply.ok) this.#settle(job, () => job.resolve(reply.value));
      else this.#settle(job, () => job.reject(fromThreadError(reply.error)));
      this.#dispatch();
    });
    let failure: unknown = null;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      this.#drop(slot);
      const job = slot.job;
      if (job) {
        const cause = failure ?? new Error(`exit code ${code}`);
        this.#settle(job, () => job.reject(new Error('an engine thread stopped during the work', { cause })));
      }
      if (!this.#closed) this.#dispatch();
    });
    return slot;
  }

  /** Waiting: taken out of the queue. Running: its thread is terminated (and replaced on demand). */
  #abort(job: Job): void {
    const reason = job.signal?.reason;
    if (this.#queue.remove(job.workspaceId, job)) {
      this.#settle(job, () => job.reject(reason));
      return;
    }
    const slot = this.#slots.find((s) => s.job === job);
    if (!slot) return;
    slot.job = null;
    this.#drop(slot);
    void slot.worker.terminate();
    this.#settle(job, () => job.reject(reason));
    this.#dispatch();
  }

  #drop(slot: Slot): void {
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
  }

  #settle(job: Job, settle: () => void): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    settle();
  }
}
