import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { BackgroundService, type TurnResult } from '../services/background-service.ts';
import type { Store } from '../store/store.ts';

export interface RetentionSettings {
  /** Days after a run finished that its input is kept; 0 keeps inputs for ever. */
  inputRetentionDays: number;
  /** Days webhook attempts are kept; 0 keeps them for ever. */
  attemptRetentionDays: number;
}

export interface RetentionDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: RetentionSettings;
}

const DAY_MS = 24 * 3_600 * 1_000;
/** Rows per statement: short transactions that never hold the database for long. */
const BATCH = 1_000;
const INTERVAL_MS = 10 * 60 * 1_000;

/**
 * Deletes what is no longer needed: expired idempotency keys, old webhook attempts, and (when
 * configured) the inputs of runs finished long ago. Runs with the executor; several processes
 * running it at once only share the work.
 */
export class RetentionJob extends BackgroundService {
  readonly #deps: RetentionDeps;

  constructor(deps: RetentionDeps) {
    // A pass at start, then one every interval; a failed pass waits for the next. The wait does
    // not keep the process alive.
    super('retention', deps.logger, {
      idlePollMs: INTERVAL_MS,
      errorBackoffMs: INTERVAL_MS,
      holdsProcess: false,
    });
    this.#deps = deps;
  }

  protected async turn(): Promise<TurnResult> {
    try {
      await this.runOnce();
      return 'idle';
    } catch (error) {
      this.#deps.logger.warn({ err: error }, 'retention pass failed; retrying later');
      return 'failed';
    }
  }

  /** Purges in batches until nothing is left to purge; returns the totals. */
  async runOnce(): Promise<{ idempotencyKeys: number; inputs: number; attempts: number }> {
    const { store, clock, settings } = this.#deps;
    const totals = { idempotencyKeys: 0, inputs: 0, attempts: 0 };
    for (;;) {
      const now = clock.now();
      const pass = await store.retentionPurgeExpired({
        now,
        inputsCompletedBefore:
          settings.inputRetentionDays > 0 ? now - settings.inputRetentionDays * DAY_MS : null,
        attemptsStartedBefore:
          settings.attemptRetentionDays > 0 ? now - settings.attemptRetentionDays * DAY_MS : null,
        limit: BATCH,
      });
      totals.idempotencyKeys += pass.idempotencyKeys;
      totals.inputs += pass.inputs;
      totals.attempts += pass.attempts;
      if (pass.idempotencyKeys < BATCH && pass.inputs < BATCH && pass.attempts < BATCH) break;
    }
    if (totals.idempotencyKeys + totals.inputs + totals.attempts > 0) {
      this.#deps.logger.info(totals, 'retention pass');
    }
    return totals;
  }
}
