import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { EngineThreads } from '../engine-threads/engine-threads.ts';
import { RUN_FAILURES } from '../errors/run-failure.ts';
import type { EngineRegistry } from '../evaluation/engine.ts';
import { conversationLimits } from '../evaluation/prepare-input.ts';
import type { RunSignals } from '../events/run-signals.ts';
import type { IdGenerator } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { BackgroundService, type TurnResult } from '../services/background-service.ts';
import type { ClaimedRun, RunOutcome } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { ExecutionAborted } from './abort-reasons.ts';
import { executeRun } from './execute-run.ts';
import { KitVersionCache } from './kit-version-cache.ts';

export interface ExecutorDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  signals: RunSignals;
  config: Readonly<Config>;
  engines: EngineRegistry;
  /** Where runs stored before inputs were prepared at creation are prepared. */
  engineThreads: EngineThreads;
  logger: Logger;
}

interface InFlight {
  run: ClaimedRun;
  controller: AbortController;
  done: Promise<void>;
}

/** How often an idle worker looks for runs when no wake-up arrives. */
const IDLE_POLL_MS = 1_000;
/** Backoff after the store failed, so an outage is not hammered. */
const ERROR_BACKOFF_MS = 1_000;

/**
 * Takes runs from `queued` to a terminal status: claims with a lease, renews it with a heartbeat,
 * enforces the deadline, aborts on cancellation, and re-queues runs whose worker died.
 *
 * Stopping (graceful): claim nothing more, let running runs finish for up to
 * `SEMARIZE_SHUTDOWN_GRACE_MS`, then abort the rest and hand them back to the queue (their attempt
 * is not counted).
 */
export class Executor extends BackgroundService {
  readonly workerId: string;
  readonly #deps: ExecutorDeps;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #kitVersions: KitVersionCache;

  constructor(deps: ExecutorDeps) {
    super('executor', deps.logger, {
      idlePollMs: IDLE_POLL_MS,
      errorBackoffMs: ERROR_BACKOFF_MS,
      stopGraceMs: deps.config.shutdownGraceMs,
    });
    this.#deps = deps;
    this.#kitVersions = new KitVersionCache(deps.store);
    this.workerId = `wrk_${deps.ids.ulid()}`;
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  protected override starting(): void {
    const { config, signals } = this.#deps;
    this.untilStopped(signals.onQueued(() => this.poke()));
    this.every(Math.max(250, Math.floor(config.leaseMs / 3)), () => this.#heartbeat());
    this.every(Math.max(250, Math.floor(config.leaseMs / 2)), () => this.#recover());
    void this.#recover();
  }

  protected override inFlight(): Promise<unknown> {
    return Promise.all([...this.#inFlight.values()].map((f) => f.done));
  }

  protected override graceOver(): void {
    for (const flight of this.#inFlight.values()) flight.controller.abort(new ExecutionAborted('shutdown'));
  }

  protected async turn(): Promise<TurnResult> {
    const { store, clock, config, logger } = this.#deps;
    const free = config.workerConcurrency - this.#inFlight.size;
    if (free <= 0) return 'idle';
    // Let requests already in hand finish first: under load one claim then takes a batch of runs
    // instead of one run per wake-up (a macrotask, well under a millisecond when idle).
    await new Promise((resolve) => setImmediate(resolve));
    let claimed: ClaimedRun[];
    try {
      claimed = await store.runClaim({
        workerId: this.workerId,
        limit: free,
        now: clock.now(),
        leaseMs: config.leaseMs,
        runTimeoutMs: config.runTimeoutMs,
      });
    } catch (error) {
      logger.error({ err: error }, 'claiming runs failed');
      return 'failed';
    }
    for (const run of claimed) this.#launch(run);
    // A full batch means more may be waiting: claim again at once.
    return claimed.length < free ? 'idle' : 'again';
  }

  #launch(run: ClaimedRun): void {
    const { signals, clock, logger } = this.#deps;
    const controller = new AbortController();
    // Set once the work is over and its result is being written: a finish signal then is our own.
    let recording = false;
    const unsubscribe = signals.onFinished(run.id, () => {
      if (!recording) void this.#abortIfTakenAway(run, controller);
    });
    const untilDeadline = (run.deadlineAt ?? Number.POSITIVE_INFINITY) - clock.now();
    const deadlineTimer = setTimeout(
      () => controller.abort(new ExecutionAborted('deadline')),
      Math.max(0, Math.min(untilDeadline, 2_147_483_647)),
    );
    const done = (async () => {
      try {
        if (untilDeadline <= 0) {
          recording = true;
          await this.#finish(run, {
            status: 'failed',
            errorCode: 'execution_timeout',
            errorMessage: RUN_FAILURES.execution_timeout.message,
            errorUserMessage: RUN_FAILURES.execution_timeout.userMessage,
            usageJson: null,
          });
          return;
        }
        const result = await executeRun(
          {
            kitVersions: this.#kitVersions,
            engines: this.#deps.engines,
            prepare: (run) =>
              this.#deps.engineThreads.prepareInput(
                run.workspaceId,
                run.inputJson ?? '{}',
                conversationLimits(this.#deps.config),
              ),
            onUnexpectedError: (err) => logger.error({ err, runId: run.id }, 'run failed unexpectedly'),
            config: this.#deps.config,
            findReusable: (workspaceId, key) => this.#deps.store.runGetReusable(workspaceId, key),
          },
          run,
          controller.signal,
        );
        recording = true;
        if (result.kind === 'outcome') await this.#finish(run, result.outcome);
        else if (result.reason === 'shutdown') await this.#release(run);
        // A lost lease may be a cancellation seen only by the heartbeat (processes without
        // wake-ups between them); the store's fence tells, so both are settled.
        else await this.#settleCancelled(run, result.usageJson);
      } catch (error) {
        // Storage failed while recording: the lease will expire and the run is retried elsewhere.
        logger.error({ err: error, runId: run.id }, 'recording a run outcome failed');
      } finally {
        clearTimeout(deadlineTimer);
        unsubscribe();
        this.#inFlight.delete(run.id);
        this.poke();
      }
    })();
    this.#inFlight.set(run.id, { run, controller, done });
  }

  /**
   * A finish signal is a hint (with PostgreSQL, every listener is woken after a lost LISTEN
   * connection): abort the work only when the store says the run is no longer ours, e.g. cancelled.
   */
  async #abortIfTakenAway(run: ClaimedRun, controller: AbortController): Promise<void> {
    try {
      const current = await this.#deps.store.runGet(run.workspaceId, run.id);
      const stillOurs =
        current?.status === 'running' &&
        current.workerId === this.workerId &&
        current.attempt === run.attempt;
      if (!stillOurs) controller.abort(new ExecutionAborted('cancelled'));
    } catch {
      // Storage is unreachable: the heartbeat finds out whether the run is still ours.
    }
  }

  async #finish(run: ClaimedRun, outcome: RunOutcome): Promise<void> {
    const { store, clock, ids, signals, logger } = this.#deps;
    const now = clock.now();
    const finished = await store.runFinish({
      runId: run.id,
      workerId: this.workerId,
      attempt: run.attempt,
      now,
      outcome,
      eventId: `evt_${ids.ulid()}`,
    });
    if (finished) {
      signals.runFinished(run.id, finished);
      return;
    }
    logger.info(
      { runId: run.id, attempt: run.attempt },
      'run outcome discarded: no longer held by this worker',
    );
    // Cancelled as the work ended, before its outcome was written: its calls were made, and count.
    await this.#settleCancelled(run, outcome.usageJson);
  }

  /**
   * A run cancelled while this worker ran it gets the usage its work spent, and its webhooks, held
   * back for that (`CANCELLATION_SETTLE_MS`), are sent now. A run that is not this worker's
   * cancelled run (re-leased elsewhere) is left alone by the store.
   */
  async #settleCancelled(run: ClaimedRun, usageJson: string | null): Promise<void> {
    const { store, clock, signals } = this.#deps;
    const settled = await store.runRecordCancelledUsage({
      runId: run.id,
      workerId: this.workerId,
      attempt: run.attempt,
      usageJson,
      now: clock.now(),
    });
    if (settled) signals.deliveryQueued();
  }

  async #release(run: ClaimedRun): Promise<void> {
    const released = await this.#deps.store.runRelease({
      runId: run.id,
      workerId: this.workerId,
      attempt: run.attempt,
    });
    if (released) this.#deps.signals.runQueued();
  }

  /** Renews the leases of running runs; a run no longer held (re-leased elsewhere) is aborted. */
  async #heartbeat(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const { store, clock, config, logger } = this.#deps;
    const flights = [...this.#inFlight.values()];
    try {
      const held = new Set(
        await store.runRenewLease({
          workerId: this.workerId,
          runs: flights.map((f) => ({ runId: f.run.id, attempt: f.run.attempt })),
          now: clock.now(),
          leaseMs: config.leaseMs,
        }),
      );
      for (const flight of flights) {
        if (!held.has(flight.run.id) && this.#inFlight.has(flight.run.id)) {
          flight.controller.abort(new ExecutionAborted('lease_lost'));
        }
      }
    } catch (error) {
      logger.warn({ err: error }, 'lease heartbeat failed');
    }
  }

  /** Re-queues runs whose worker stopped renewing its lease, or fails them after the last attempt. */
  async #recover(): Promise<void> {
    const { store, clock, config, ids, signals, logger } = this.#deps;
    try {
      const { requeued, failed } = await store.runRecoverExpiredLease({
        now: clock.now(),
        maxAttempts: config.maxAttempts,
        newEventId: () => `evt_${ids.ulid()}`,
      });
      for (const runId of failed) signals.runFinished(runId);
      if (requeued.length) {
        logger.warn({ runIds: requeued }, 'runs re-queued after their worker stopped responding');
        signals.runQueued();
      }
      if (failed.length) logger.warn({ runIds: failed }, 'runs failed with worker_lost');
    } catch (error) {
      logger.warn({ err: error }, 'lease recovery failed');
    }
  }
}
