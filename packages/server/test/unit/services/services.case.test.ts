import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/clock.ts';
import { EngineThreads } from '../../../src/engine-threads/engine-threads.ts';
import { createLocalSignals, type LocalSignals } from '../../../src/events/run-signals.ts';
import { Executor } from '../../../src/executor/executor.ts';
import { createIdGenerator } from '../../../src/ids.ts';
import { RetentionJob } from '../../../src/retention/retention-job.ts';
import { openStore } from '../../../src/server.ts';
import type { BackgroundService } from '../../../src/services/background-service.ts';
import type { Store } from '../../../src/store/store.ts';
import { Dispatcher } from '../../../src/webhooks/dispatcher.ts';
import { eventLoopTurns, gate } from '../../support/gate.ts';
import { waitFor } from '../../support/http-client.ts';
import { type LogEntry, recordingLogger } from '../../support/recording-logger.ts';
import { testConfig } from '../../support/test-config.ts';

// One case suite every background service runs (as Hono's routers share theirs): the lifecycle
// contract of services/background-service.ts, held by each real service on a real SQLite store.

interface Deps {
  dataDir: string;
  store: Store;
  signals: LocalSignals;
  logger: ReturnType<typeof recordingLogger>;
  engineThreads: EngineThreads;
}

interface ServiceCase {
  build(deps: Deps): BackgroundService;
  /** The store method one turn calls: the suite counts, holds or fails its calls. */
  turnCalls: keyof Store;
  /** The signal that wakes the service, if one does. */
  wakeUp: ((signals: LocalSignals) => void) | null;
}

const ids = createIdGenerator(systemClock);

const SERVICES: Record<string, ServiceCase> = {
  executor: {
    build: ({ dataDir, store, signals, logger, engineThreads }) =>
      new Executor({
        store,
        clock: systemClock,
        ids,
        signals,
        config: testConfig(dataDir),
        engines: {},
        engineThreads,
        logger,
      }),
    turnCalls: 'runClaim',
    wakeUp: (signals) => signals.runQueued(),
  },
  'webhook dispatcher': {
    build: ({ store, signals, logger }) =>
      new Dispatcher({
        store,
        clock: systemClock,
        ids,
        signals,
        logger,
        allowPrivate: false,
        concurrency: 4,
      }),
    turnCalls: 'deliveryClaimDue',
    wakeUp: (signals) => signals.deliveryQueued(),
  },
  retention: {
    build: ({ store, logger }) =>
      new RetentionJob({
        store,
        clock: systemClock,
        logger,
        settings: { inputRetentionDays: 0, attemptRetentionDays: 30 },
      }),
    turnCalls: 'retentionPurgeExpired',
    wakeUp: null,
  },
};

/** The store as the service sees it: every call counted, the turn's call held or failed on demand. */
function watched(store: Store, turnCalls: keyof Store) {
  const watch = {
    calls: 0,
    turnCalls: 0,
    hold: null as Promise<void> | null,
    failNext: null as Error | null,
    store: null as unknown as Store,
  };
  watch.store = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        watch.calls++;
        if (property === turnCalls) {
          watch.turnCalls++;
          if (watch.hold) await watch.hold;
          const failure = watch.failNext;
          watch.failNext = null;
          if (failure) throw failure;
        }
        return value.apply(target, args);
      };
    },
  });
  return watch;
}

describe.each(Object.entries(SERVICES))('background service %s', (_name, service) => {
  let deps: Deps;
  let watch: ReturnType<typeof watched>;
  let subject: BackgroundService;
  let raw: Store;
  beforeEach(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'semarize-service-'));
    raw = openStore(testConfig(dataDir));
    await raw.ping();
    watch = watched(raw, service.turnCalls);
    deps = {
      dataDir,
      store: watch.store,
      signals: createLocalSignals(),
      logger: recordingLogger(),
      engineThreads: new EngineThreads({ threads: 1, patternBudgetMs: 2_000 }),
    };
    subject = service.build(deps);
  });
  afterEach(async () => {
    watch.hold = null;
    await subject.stop();
    await deps.engineThreads.close();
    await deps.signals.close();
    await raw.close();
    await rm(deps.dataDir, { recursive: true, force: true });
  });

  it('stops without having been started, touching nothing', async () => {
    await subject.stop();
    await subject.stop();
    expect(watch.calls).toBe(0);
    expect(subject.running).toBe(false);
  });

  it('runs one loop however often it is started', async () => {
    const held = gate();
    watch.hold = held.passed;
    subject.start();
    subject.start();
    await waitFor(async () => watch.turnCalls === 1, 5_000, 'the first turn');
    await eventLoopTurns();
    expect(watch.turnCalls).toBe(1);
    held.open();
  });

  it('stops after the turn in progress, and no wake-up starts another', async () => {
    const held = gate();
    watch.hold = held.passed;
    subject.start();
    await waitFor(async () => watch.turnCalls === 1, 5_000, 'the first turn');
    let stopped = false;
    const stopping = subject.stop().then(() => {
      stopped = true;
    });
    await eventLoopTurns();
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(subject.running).toBe(false);
    service.wakeUp?.(deps.signals);
    subject.poke();
    await eventLoopTurns();
    expect(watch.turnCalls).toBe(1);
  });

  it.runIf(service.wakeUp)('takes a turn at once when its wake-up signal arrives', async () => {
    subject.start();
    await waitFor(async () => watch.turnCalls === 1, 5_000, 'the first turn');
    await eventLoopTurns();
    service.wakeUp?.(deps.signals);
    // Well before the idle poll (1 s): the signal, not the timer, took the turn.
    await eventLoopTurns();
    expect(watch.turnCalls).toBe(2);
  });

  it('logs a failed turn and goes on when poked', async () => {
    const failure = new Error('storage went away');
    watch.failNext = failure;
    subject.start();
    await waitFor(
      async () => deps.logger.entries.find((entry: LogEntry) => entry.bindings['err'] === failure),
      5_000,
      'the failure in the log',
    );
    const logged = deps.logger.entries.find((entry) => entry.bindings['err'] === failure);
    expect(['warn', 'error']).toContain(logged?.level);
    expect(subject.running).toBe(true);
    subject.poke();
    await waitFor(async () => watch.turnCalls === 2, 5_000, 'the turn after the failure');
  });

  it('starts again after a stop', async () => {
    subject.start();
    await waitFor(async () => watch.turnCalls === 1, 5_000, 'the first turn');
    await subject.stop();
    subject.start();
    await waitFor(async () => watch.turnCalls === 2, 5_000, 'the turn after the restart');
    expect(subject.running).toBe(true);
  });
});
