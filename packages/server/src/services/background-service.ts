import type { Logger } from '../logger.ts';
import type { Service } from './service.ts';

/** What one turn of a service's loop found; it decides when the next turn comes. */
export type TurnResult =
  /** More may be waiting: take the next turn at once. */
  | 'again'
  /** Nothing (more) to do now: wait the idle poll, or until poked. */
  | 'idle'
  /** The turn failed and logged why: wait the error backoff, or until poked. */
  | 'failed';

export interface ServiceTiming {
  /** How long an idle service waits for a wake-up before it looks again anyway. */
  idlePollMs: number;
  /** How long it waits after a failed turn, so that an outage is not hammered. */
  errorBackoffMs: number;
  /** At stop, how long work in flight may go on before `graceOver` is called. Default: no limit. */
  stopGraceMs?: number;
  /** False: the wait between turns does not keep the process alive (housekeeping). Default true. */
  holdsProcess?: boolean;
}

/**
 * The lifecycle every background service shares (River's `startstop.BaseStartStop`): one loop of
 * turns with an idle poll and an error backoff, woken early by `poke`; timers and subscriptions
 * that end with the service; and a stop that ends the loop, lets work in flight finish within a
 * grace, and can start again afterwards. A service says what a turn is (`turn`), what it does when
 * it starts (`starting`), what is still in flight (`inFlight`) and how to give up on it
 * (`graceOver`).
 */
export abstract class BackgroundService implements Service {
  readonly name: string;
  protected readonly logger: Logger;
  readonly #timing: ServiceTiming;
  #state: 'stopped' | 'running' | 'stopping' = 'stopped';
  #loop: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;
  /** A poke arrived since the turn began: the next wait returns at once. */
  #woken = false;
  #wake: (() => void) | null = null;
  #cleanups: (() => void)[] = [];
  #timers: NodeJS.Timeout[] = [];

  constructor(name: string, logger: Logger, timing: ServiceTiming) {
    this.name = name;
    this.logger = logger;
    this.#timing = timing;
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  start(): void {
    if (this.#state !== 'stopped') return;
    this.#state = 'running';
    this.starting();
    this.#loop = this.#turns();
  }

  /**
   * Ends the loop (the current turn finishes), ends subscriptions, waits for work in flight up to
   * the grace, then gives up on the rest (`graceOver`) and waits for it, and last clears timers
   * (a heartbeat goes on beating while work drains).
   */
  stop(): Promise<void> {
    if (this.#state === 'stopped') return Promise.resolve();
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  /** Takes the next turn now instead of after the wait (new work arrived, a slot came free). */
  poke(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** One turn of the loop: look for work, start it, and say what follows. */
  protected abstract turn(): Promise<TurnResult>;

  /** Called by `start` before the first turn: subscribe (`untilStopped`), start timers (`every`). */
  protected starting(): void {}

  /** Settles once the work this service has in flight is over. */
  protected inFlight(): Promise<unknown> {
    return Promise.resolve();
  }

  /** The stop grace is over and work is still in flight: tell it to give up. */
  protected graceOver(): void {}

  /** Runs `cleanup` when the service stops (an unsubscribe), before the last turn is awaited. */
  protected untilStopped(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  /** Calls `task` every `ms` while the service runs, including while its work drains at stop. */
  protected every(ms: number, task: () => Promise<void> | void): void {
    this.#timers.push(setInterval(() => void task(), ms));
  }

  async #turns(): Promise<void> {
    while (this.#state === 'running') {
      this.#woken = false;
      let result: TurnResult;
      try {
        result = await this.turn();
      } catch (error) {
        // Turns log their own failures; this is a bug, and the loop must survive it all the same.
        this.logger.error({ err: error, service: this.name }, 'background service turn failed');
        result = 'failed';
      }
      if (result === 'idle') await this.#wait(this.#timing.idlePollMs);
      else if (result === 'failed') await this.#wait(this.#timing.errorBackoffMs);
    }
  }

  async #wait(ms: number): Promise<void> {
    if (this.#woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (this.#timing.holdsProcess === false) timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopping';
    this.poke();
    try {
      for (const cleanup of this.#cleanups.splice(0)) cleanup();
      await this.#loop;
      await this.#drain();
    } finally {
      for (const timer of this.#timers.splice(0)) clearInterval(timer);
      this.#loop = null;
      this.#stopped = null;
      this.#state = 'stopped';
    }
  }

  async #drain(): Promise<void> {
    const graceMs = this.#timing.stopGraceMs;
    if (graceMs === undefined) {
      await this.inFlight();
      return;
    }
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'over'>((resolve) => {
      graceTimer = setTimeout(() => resolve('over'), graceMs);
    });
    if ((await Promise.race([this.inFlight(), graceOver])) === 'over') {
      this.graceOver();
      await this.inFlight();
    }
    clearTimeout(graceTimer);
  }
}
