import { type Clock, systemClock } from './clock.ts';
import { SemarizeError } from './errors.ts';
import { Transport } from './http/transport.ts';
import { Runs } from './runs/runs.ts';
import { WebhookEndpoints } from './webhooks/webhook-endpoints.ts';
import { Webhooks } from './webhooks/webhooks.ts';

export interface ClientOptions {
  /** `smz_live_…` or `smz_test_…`. */
  apiKey: string;
  /** Where the server listens. Default `http://127.0.0.1:8787` (a local `npm start`). */
  baseUrl?: string;
  /** Retries of one call after connection errors, timeouts, 408, 429 and 5xx. Default 3. */
  maxRetries?: number;
  /** Longest wait for one HTTP answer (long polls get their wait on top). Default 60 s. */
  requestTimeoutMs?: number;
  /** Default overall limit of `runs.wait()` and `runs.createAndWait()`. Default 15 minutes. */
  waitTimeoutMs?: number;
  /** A `Retry-After` longer than this ends the retries with the error instead. Default 60 s. */
  maxRetryAfterSeconds?: number;
  /** The fetch to use (a proxy-aware one, or a test double). Default the global fetch. */
  fetch?: typeof fetch;
  /** Time source for timeouts and waits; tests pass one that moves time instead of waiting. */
  clock?: Clock;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

/** The Semarize API client. `new Semarize({ apiKey, baseUrl })`. */
export class Semarize {
  readonly runs: Runs;
  readonly webhooks: Webhooks;
  readonly webhookEndpoints: WebhookEndpoints;

  constructor(options: ClientOptions) {
    if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new SemarizeError('An apiKey is required: new Semarize({ apiKey: "smz_live_…" }).');
    }
    const transport = new Transport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      // Called through a wrapper: some runtimes refuse a fetch detached from globalThis.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      clock: options.clock ?? systemClock,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    });
    this.runs = new Runs(transport, { waitTimeoutMs: options.waitTimeoutMs ?? 15 * 60_000 });
    this.webhooks = new Webhooks();
    this.webhookEndpoints = new WebhookEndpoints(transport);
  }
}
