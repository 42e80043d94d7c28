import type { Clock } from '../clock.ts';
import type { RunSignals } from '../events/run-signals.ts';
import type { IdGenerator } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { Counter } from '../metrics/metrics.ts';
import { BackgroundService, type TurnResult } from '../services/background-service.ts';
import type { Store } from '../store/store.ts';
import type { AttemptResult, ClaimedDelivery } from '../store/webhook-records.ts';
import { MAX_IN_FLIGHT_PER_ENDPOINT, maxInFlightPerWorkspace } from './delivery-fairness.ts';
import { eventBody } from './event-payload.ts';
import { type PostResult, postDelivery } from './post-delivery.ts';
import { DISABLE_AFTER_FAILING_MS, nextAttemptAt } from './retry-schedule.ts';
import { signatureHeaders } from './sign-delivery.ts';

export interface DispatcherDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  signals: RunSignals;
  logger: Logger;
  allowPrivate: boolean;
  concurrency: number;
  /** Attempt timeout; SPEC §4 fixes 10 s, tests shorten it. */
  timeoutMs?: number;
  /** Counts attempts by outcome for GET /metrics. */
  attemptsCounter?: Counter;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Longer than an attempt can take, so a live dispatcher's lease never expires mid-attempt. */
const LEASE_MS = 30_000;
const IDLE_POLL_MS = 1_000;
const USER_AGENT = 'Semarize-Webhooks/1';

/**
 * Delivers webhook events: claims due deliveries with a lease (so several dispatchers can share
 * one database), fairly across endpoints and workspaces (delivery-fairness.ts), signs and POSTs
 * them, and records every attempt and what follows from it.
 */
export class Dispatcher extends BackgroundService {
  readonly owner: string;
  readonly #deps: DispatcherDeps;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(deps: DispatcherDeps) {
    // A failed claim is retried at the next poll, as an empty one is. No stop grace: in-flight
    // attempts finish (10 s at most); the rest stay queued for the next start.
    super('webhook dispatcher', deps.logger, { idlePollMs: IDLE_POLL_MS, errorBackoffMs: IDLE_POLL_MS });
    this.#deps = deps;
    this.owner = `dsp_${deps.ids.ulid()}`;
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  protected override starting(): void {
    this.untilStopped(this.#deps.signals.onDeliveryQueued(() => this.poke()));
  }

  protected override inFlight(): Promise<unknown> {
    return Promise.all(this.#inFlight);
  }

  protected async turn(): Promise<TurnResult> {
    const { store, clock, logger, concurrency } = this.#deps;
    const free = concurrency - this.#inFlight.size;
    if (free <= 0) return 'idle';
    let claimed: ClaimedDelivery[];
    try {
      claimed = await store.deliveryClaimDue({
        owner: this.owner,
        limit: free,
        now: clock.now(),
        leaseMs: LEASE_MS,
        maxPerEndpoint: MAX_IN_FLIGHT_PER_ENDPOINT,
        maxPerWorkspace: maxInFlightPerWorkspace(concurrency),
      });
    } catch (error) {
      logger.error({ err: error }, 'claiming webhook deliveries failed');
      return 'failed';
    }
    for (const delivery of claimed) {
      const attempt = this.#attempt(delivery).finally(() => {
        this.#inFlight.delete(attempt);
        this.poke();
      });
      this.#inFlight.add(attempt);
    }
    return claimed.length < free ? 'idle' : 'again';
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    const { store, clock, logger, allowPrivate } = this.#deps;
    const startedAt = clock.now();
    const attempt = delivery.attempts + 1;
    let result: PostResult;
    try {
      const body = eventBody(delivery);
      const endpoint = delivery.endpoint;
      const secrets = [endpoint.secret];
      if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > startedAt)
        secrets.push(endpoint.previousSecret);
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signatureHeaders({
          eventId: delivery.eventId,
          deliveryId: delivery.id,
          timestampSeconds: Math.floor(startedAt / 1000),
          body,
          secrets,
        }),
      };
      result = await postDelivery(endpoint.url, body, headers, {
        allowPrivate,
        timeoutMs: this.#deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (error) {
      result = { statusCode: null, latencyMs: 0, snippet: null, error: (error as Error).message };
    }
    const outcome = this.#judge(delivery, attempt, startedAt, result);
    this.#deps.attemptsCounter?.inc({ outcome: outcome.outcome });
    try {
      await store.deliveryRecordAttempt(outcome, clock.now());
    } catch (error) {
      // The lease expires and another attempt follows: at-least-once.
      logger.error({ err: error, deliveryId: delivery.id }, 'recording a webhook attempt failed');
    }
    if (outcome.disableEndpoint) {
      logger.warn(
        { endpointId: delivery.endpointId, reason: outcome.disableEndpoint },
        'webhook endpoint disabled',
      );
    }
  }

  #judge(delivery: ClaimedDelivery, attempt: number, startedAt: number, result: PostResult): AttemptResult {
    const now = this.#deps.clock.now();
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const record = {
      deliveryId: delivery.id,
      attempt,
      startedAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseSnippet: result.snippet,
      error: ok ? null : (result.error ?? `HTTP ${result.statusCode}`),
    };
    const base = { deliveryId: delivery.id, owner: this.owner, attempt: record };
    if (ok) return { ...base, outcome: 'succeeded', nextAttemptAt: null, disableEndpoint: null };
    if (result.statusCode === 410)
      return { ...base, outcome: 'failed', nextAttemptAt: null, disableEndpoint: 'gone' };
    const failingSince = delivery.endpoint.failingSince ?? startedAt;
    const disable = now - failingSince >= DISABLE_AFTER_FAILING_MS ? 'failing' : null;
    const next = disable ? null : nextAttemptAt(attempt, delivery.eventCreatedAt, now);
    return {
      ...base,
      outcome: next === null ? 'failed' : 'retry',
      nextAttemptAt: next,
      disableEndpoint: disable,
    };
  }
}
