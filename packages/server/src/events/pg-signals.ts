import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, type Notification } from 'pg';
import { createLocalSignals, type RunSignals } from './run-signals.ts';

/**
 * Wake-ups between processes sharing one PostgreSQL database (SPEC §7 scale-out), over
 * LISTEN/NOTIFY on one dedicated connection per process (not a pooled one: a pooled connection
 * would lose its LISTEN when handed back).
 *
 * Every signal wakes this process's listeners at once and is sent to the others as a NOTIFY on a
 * channel named after the schema, so deployments sharing a database do not wake each other.
 * Payload: `<origin> <item> <item> …`, items `q` (a run was queued), `d` (deliveries are due) and
 * `f:<run id>` (a run finished); signals of one moment are batched into one NOTIFY, and a process
 * ignores its own (it already woke its listeners). Notifications are hints: a lost one costs a
 * poll interval (the executor, dispatcher and waiters re-read the store on timers). After the
 * connection is lost it is re-opened with capped exponential backoff, and every listener is woken
 * once it is back, since notifications may have been missed meanwhile.
 */
export interface PgSignalsOptions {
  url: string;
  applicationName: string;
  /** Told when the LISTEN connection is lost or comes back, for the logs. */
  onConnectionChange?: (change: { state: 'lost'; error: unknown } | { state: 'restored' }) => void;
  /** Reconnect delays: doubling from `initialMs`, at most `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface PgSignals extends RunSignals {
  /** Settles once the first connection attempt did (connected or not: it keeps trying). */
  readonly started: Promise<void>;
}

const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 10_000 };
/** A silent dead connection (no reset from the peer) is found by this round trip. */
const HEARTBEAT_MS = 15_000;
const QUERY_TIMEOUT_MS = 10_000;
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD_BYTES = 7_000;
/** Channel names are identifiers: at most 63 bytes. */
const MAX_CHANNEL_BYTES = 63;

function channelFor(schema: string): string {
  let channel = `semarize:${schema}`;
  while (Buffer.byteLength(channel) > MAX_CHANNEL_BYTES) channel = channel.slice(0, -1);
  return channel;
}

/** Joins items into as few payloads as fit, each starting with the origin. */
function payloads(origin: string, items: readonly string[]): string[] {
  const out: string[] = [];
  let current = origin;
  for (const item of items) {
    if (current !== origin && Buffer.byteLength(current) + 1 + Buffer.byteLength(item) > MAX_PAYLOAD_BYTES) {
      out.push(current);
      current = origin;
    }
    current += ` ${item}`;
  }
  if (current !== origin) out.push(current);
  return out;
}

export function createPgSignals(options: PgSignalsOptions): PgSignals {
  const local = createLocalSignals();
  const origin = randomBytes(6).toString('hex');
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const pending = new Set<string>();
  let client: Client | null = null;
  let channel = '';
  let closed = false;
  /** Wake-ups may have been missed: the connection was lost, or never came up. */
  let missed = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;

  const receive = (notification: Notification) => {
    const [from, ...items] = (notification.payload ?? '').split(' ');
    if (from === origin) return;
    for (const item of items) {
      if (item === 'q') local.runQueued();
      else if (item === 'd') local.deliveryQueued();
      else if (item.startsWith('f:')) local.runFinished(item.slice(2));
    }
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    failures++;
    // Jitter: processes that lost the database together do not all come back at the same instant.
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = null;
        void connect();
      },
      delay * (0.5 + Math.random() / 2),
    );
    reconnectTimer.unref();
  };

  const markLost = (error: unknown) => {
    if (missed) return;
    missed = true;
    options.onConnectionChange?.({ state: 'lost', error });
  };

  const lost = (from: Client, error: unknown) => {
    if (client !== from) return;
    client = null;
    from.end().catch(() => {});
    markLost(error);
    scheduleReconnect();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const candidate = new Client({
      connectionString: options.url,
      application_name: options.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    candidate.on('error', (error) => lost(candidate, error));
    candidate.on('end', () => lost(candidate, new Error('LISTEN connection ended')));
    candidate.on('notification', receive);
    try {
      await candidate.connect();
      const schema = (await candidate.query<{ schema: string | null }>('SELECT current_schema() AS schema'))
        .rows[0]?.schema;
      channel = channelFor(schema ?? 'public');
      await candidate.query(`LISTEN ${escapeIdentifier(channel)}`);
    } catch (error) {
      candidate.end().catch(() => {});
      markLost(error);
      scheduleReconnect();
      return;
    }
    if (closed) {
      await candidate.end().catch(() => {});
      return;
    }
    client = candidate;
    failures = 0;
    if (missed) {
      missed = false;
      options.onConnectionChange?.({ state: 'restored' });
      // Anything may have happened while we were not listening.
      local.wakeAll();
    }
  };

  /** Sends what is pending as NOTIFYs, over the LISTEN connection. */
  const flushOnce = async (): Promise<void> => {
    const items = [...pending];
    pending.clear();
    const target = client;
    // Not connected: the other processes' timers will find what this would have told them.
    if (!target) return;
    try {
      await target.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [
        channel,
        payloads(origin, items),
      ]);
    } catch (error) {
      lost(target, error);
    }
  };

  // One NOTIFY per moment, and one at a time: under load, signals pile up and go out together.
  let draining: Promise<void> | null = null;
  const drain = () => {
    draining ??= new Promise((resolve) => setImmediate(resolve))
      .then(async () => {
        while (pending.size > 0) await flushOnce();
      })
      .finally(() => {
        draining = null;
        if (pending.size > 0) drain();
      });
  };
  const send = (item: string) => {
    pending.add(item);
    drain();
  };

  const heartbeat = setInterval(() => {
    const target = client;
    target?.query('SELECT 1').catch((error: unknown) => lost(target, error));
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const started = connect();

  return {
    started,
    runQueued() {
      local.runQueued();
      send('q');
    },
    runFinished(runId, run) {
      local.runFinished(runId, run);
      send(`f:${runId}`);
    },
    deliveryQueued() {
      local.deliveryQueued();
      send('d');
    },
    onQueued: (listener) => local.onQueued(listener),
    onFinished: (runId, listener) => local.onFinished(runId, listener),
    onDeliveryQueued: (listener) => local.onDeliveryQueued(listener),
    async close() {
      // Signals of the last moment (a run finished during shutdown) still go out.
      await started;
      await draining;
      closed = true;
      clearInterval(heartbeat);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const last = client;
      client = null;
      await last?.end().catch(() => {});
      await local.close();
    },
  };
}
