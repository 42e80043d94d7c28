import type { FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import { EngineThreads } from './engine-threads/engine-threads.ts';
import { createEngines } from './engines/create-engines.ts';
import type { EngineRegistry } from './evaluation/engine.ts';
import { createPgSignals } from './events/pg-signals.ts';
import { createLocalSignals, type RunSignals } from './events/run-signals.ts';
import { Executor } from './executor/executor.ts';
import { buildApp } from './http/app.ts';
import { createIdGenerator, type IdGenerator } from './ids.ts';
import { createLogger, type Logger } from './logger.ts';
import { createServerMetrics } from './metrics/server-metrics.ts';
import { RetentionJob } from './retention/retention-job.ts';
import type { RunsDeps } from './runs/deps.ts';
import { type Service, startAll, stopAll } from './services/service.ts';
import { isPostgresUrl, openPostgresStore } from './store/postgres/postgres-store.ts';
import { openSqliteStore, sqlitePathIn } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { Dispatcher } from './webhooks/dispatcher.ts';

export interface ServerOptions {
  config: Readonly<Config>;
  /** Which parts run in this process: `up` = both, `serve` = http, `work` = executor. */
  roles: { http: boolean; executor: boolean };
  clock?: Clock;
  /** Extra engines (tests only: never reachable through configuration or the API). */
  extraEngines?: EngineRegistry;
  logStream?: NodeJS.WritableStream;
  /** Webhook attempt timeout (tests only, to exercise timeouts quickly; SPEC §4 fixes 10 s). */
  webhookTimeoutMs?: number;
  /**
   * First-start work done once listening (`semarize up`: the first workspace, its keys and Kits).
   * Until it has finished, /readyz answers 503, so a script that waits for readiness and then uses
   * the printed key never races it. If it fails, the server closes and startServer rejects.
   */
  bootstrap?: (server: { store: Store; url: string | null }) => Promise<void>;
}

export interface RunningServer {
  url: string | null;
  store: Store;
  /** The Fastify app, in roles that listen (null for `work`). */
  app: FastifyInstance | null;
  executor: Executor | null;
  dispatcher: Dispatcher | null;
  retention: RetentionJob | null;
  /** Graceful stop: refuse new work, finish or hand back running runs, close storage. */
  close(): Promise<void>;
}

/** Shown in pg_stat_activity (an `application_name` in DATABASE_URL wins). */
const APPLICATION_NAME = 'semarize';

/**
 * PostgreSQL when DATABASE_URL names one, else the embedded SQLite file. A PostgreSQL store
 * applies its migrations before its first statement (`semarize migrate` just opens and closes it).
 * `longLived`: a server process, whose SQLite checkpoints run on a thread of their own.
 */
export function openStore(config: Readonly<Config>, options: { longLived?: boolean } = {}): Store {
  if (!config.databaseUrl) {
    return openSqliteStore(sqlitePathIn(config.dataDir), {
      backgroundCheckpoints: options.longLived ?? false,
    });
  }
  if (!isPostgresUrl(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return openPostgresStore({
    url: config.databaseUrl,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    applicationName: APPLICATION_NAME,
  });
}

/**
 * Wake-ups: in-process for SQLite (one process owns the file), LISTEN/NOTIFY for PostgreSQL so a
 * run queued or finished by one process wakes the others at once.
 */
async function openSignals(
  config: Readonly<Config>,
  store: Store,
  log: () => Logger | null,
): Promise<RunSignals> {
  if (store.dialect !== 'postgres') return createLocalSignals();
  const signals = createPgSignals({
    url: config.databaseUrl,
    applicationName: `${APPLICATION_NAME}:listen`,
    onConnectionChange: (change) => {
      if (change.state === 'lost')
        log()?.warn({ err: change.error }, 'wake-up connection to PostgreSQL lost; polling until it is back');
      else log()?.info('wake-up connection to PostgreSQL restored');
    },
  });
  await signals.started;
  return signals;
}

export async function engineRegistry(
  config: Readonly<Config>,
  threads: EngineThreads,
  extra?: EngineRegistry,
): Promise<EngineRegistry> {
  // One slow-pattern quarantine per process: the pool's, whichever thread a tracker runs on.
  const context = { config, quarantine: threads.quarantine, patternBudgetMs: config.patternBudgetMs };
  return { ...(await createEngines(context, threads)), ...extra };
}

/** Assembles and starts the service: store, signals, HTTP app and/or background services. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const ids: IdGenerator = createIdGenerator(clock);
  const store = openStore(config, { longLived: true });
  try {
    // Storage must answer (and be migrated) before the server takes requests.
    await store.ping();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  let logger: Logger | null = null;
  const signals = await openSignals(config, store, () => logger);
  const shutdownController = new AbortController();
  const engineThreads = new EngineThreads({
    threads: config.engineThreads,
    patternBudgetMs: config.patternBudgetMs,
    clock,
  });
  const deps: RunsDeps = {
    store,
    clock,
    ids,
    signals,
    config,
    engineThreads,
    shutdown: shutdownController.signal,
  };
  const metrics = createServerMetrics(store);
  let bootstrapping = options.bootstrap !== undefined;
  // Only the roles that listen build the Fastify app; `work` logs to the same place without one.
  const app = options.roles.http
    ? buildApp(deps, {
        logLevel: config.logLevel,
        metrics,
        isStarting: () => bootstrapping,
        ...(options.logStream ? { logStream: options.logStream } : {}),
      })
    : null;
  const log: Logger = app?.log ?? createLogger({ level: config.logLevel, stream: options.logStream });
  logger = log;
  const executor = options.roles.executor
    ? new Executor({
        ...deps,
        engines: await engineRegistry(config, engineThreads, options.extraEngines),
        logger: log,
      })
    : null;

  // The webhook dispatcher runs where the executor runs (SPEC §7: the `work` role).
  const dispatcher = options.roles.executor
    ? new Dispatcher({
        store,
        clock,
        ids,
        signals,
        logger: log,
        allowPrivate: config.allowPrivateWebhooks,
        concurrency: config.webhookConcurrency,
        attemptsCounter: metrics.webhookAttempts,
        ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
      })
    : null;
  if (executor && dispatcher) {
    metrics.watch({
      runsInFlight: () => executor.inFlightCount,
      deliveriesInFlight: () => dispatcher.inFlightCount,
    });
  }
  // Housekeeping runs with the executor too: every `work` process may, they only share the work.
  const retention = options.roles.executor
    ? new RetentionJob({
        store,
        clock,
        logger: log,
        settings: {
          inputRetentionDays: config.inputRetentionDays,
          attemptRetentionDays: config.attemptRetentionDays,
        },
      })
    : null;
  // Started in this order and stopped in the reverse: the executor stops first (claims nothing
  // more, drains within the grace), while the dispatcher still delivers what its runs produced.
  const services: Service[] = [retention, dispatcher, executor].filter((service) => service !== null);
  if (config.allowPrivateWebhooks) {
    log.warn(
      'SEMARIZE_ALLOW_PRIVATE_WEBHOOKS is on: webhooks may target loopback and private addresses over plain http. Development only.',
    );
  }

  let url: string | null = null;
  if (app) {
    try {
      await app.ready();
      url = await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      // Nothing started (e.g. the port is taken): let go of the database before failing.
      await app.close().catch(() => {});
      await engineThreads.close();
      await signals.close();
      await store.close().catch(() => {});
      throw error;
    }
  }
  await startAll(services);
  if (executor) engineThreads.warmUp();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      log.info('shutting down');
      shutdownController.abort();
      // Stop accepting work first; waiting requests return their current state (202 fallback).
      const httpClosed = app?.close();
      // The executor within SEMARIZE_SHUTDOWN_GRACE_MS, then running runs are handed back; then
      // the dispatcher (in-flight deliveries finish, 10 s at most; the rest stay queued) and
      // retention.
      await stopAll(services);
      if (app) {
        // Waiting requests have answered by now; a connection whose client gave up mid-wait would
        // otherwise hold the close until its keep-alive timeout.
        app.server.closeIdleConnections();
        const forceClose = setTimeout(() => app.server.closeAllConnections(), 1_000);
        await httpClosed;
        clearTimeout(forceClose);
      }
      await engineThreads.close();
      await signals.close();
      await store.close();
    })();
    return closing;
  };
  if (options.bootstrap) {
    try {
      await options.bootstrap({ store, url });
    } catch (error) {
      await close().catch(() => {});
      throw error;
    }
    bootstrapping = false;
  }
  return { url, store, app, executor, dispatcher, retention, close };
}
