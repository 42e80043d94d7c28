import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { EngineThreads } from '../engine-threads/engine-threads.ts';
import type { RunSignals } from '../events/run-signals.ts';
import type { IdGenerator } from '../ids.ts';
import type { Store } from '../store/store.ts';

/** What the runs use cases need; built once per server. */
export interface RunsDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  signals: RunSignals;
  config: Readonly<Config>;
  /** Where large inputs are normalised, off the HTTP thread. */
  engineThreads: EngineThreads;
  /** Aborted when the server starts shutting down: waits end early with the current state. */
  shutdown: AbortSignal;
}
