import type { Clock } from '../clock.ts';
import { APIError, ConnectionError, RequestTimeoutError, SemarizeError } from '../errors.ts';
import { errorFromResponse } from './error-from-response.ts';
import { isRetryable, retryDelayMs } from './retry-delay.ts';

/** Options every call accepts. */
export interface RequestOptions {
  /** Aborts the call, including its retry waits; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest wait for one HTTP answer. Default: the client's `requestTimeoutMs`. */
  requestTimeoutMs?: number;
  /**
   * Retries after connection errors, timeouts, 408, 429 and 5xx (after a 429 only for writes that
   * must not happen twice: see WebhookEndpoints). Default: the client's `maxRetries`.
   */
  maxRetries?: number;
  /** Sent as `X-Request-Id`, so the call can be found in the server's logs. */
  requestId?: string;
}

export interface ApiRequest extends RequestOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /**
   * False for a write that must not happen twice and carries no idempotency key (rotating a secret,
   * creating an endpoint): then only a 429 is retried, since the server refused it before acting.
   * Default true.
   */
  repeatable?: boolean;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** No retry wait may end after this instant (ms since epoch): the caller's overall deadline. */
  deadline?: number;
}

/** The per-call options of `options`, without undefined ones (for exactOptionalPropertyTypes). */
export function requestOptions(options: RequestOptions): Pick<ApiRequest, keyof RequestOptions> {
  const picked: RequestOptions = {};
  if (options.signal !== undefined) picked.signal = options.signal;
  if (options.requestTimeoutMs !== undefined) picked.requestTimeoutMs = options.requestTimeoutMs;
  if (options.maxRetries !== undefined) picked.maxRetries = options.maxRetries;
  if (options.requestId !== undefined) picked.requestId = options.requestId;
  return picked;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TransportSettings {
  apiKey: string;
  baseUrl: string;
  fetch: typeof fetch;
  clock: Clock;
  requestTimeoutMs: number;
  maxRetries: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown instead. */
  maxRetryAfterSeconds: number;
}

/** Sends API requests: authentication, JSON, per-request timeouts, typed errors, and retries. */
export class Transport {
  readonly settings: Readonly<TransportSettings>;

  constructor(settings: TransportSettings) {
    this.settings = Object.freeze({ ...settings, baseUrl: settings.baseUrl.replace(/\/+$/, '') });
  }

  get clock(): Clock {
    return this.settings.clock;
  }

  /** Sends the request, retrying what is worth retrying with backoff (the same headers every time). */
  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const { clock, maxRetryAfterSeconds } = this.settings;
    const maxRetries = request.maxRetries ?? this.settings.maxRetries;
    for (let attempt = 0; ; attempt++) {
      let failure: ConnectionError | APIError;
      try {
        return await this.#send<T>(request);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (request.repeatable === false && !(error instanceof APIError && error.status === 429)) throw error;
        failure = error;
      }
      const retryAfter = failure instanceof ConnectionError ? null : failure.retryAfter;
      if (attempt >= maxRetries || (retryAfter !== null && retryAfter > maxRetryAfterSeconds)) throw failure;
      const delay = retryDelayMs(attempt, retryAfter);
      if (request.deadline !== undefined && clock.now() + delay > request.deadline) throw failure;
      await clock.sleep(delay, request.signal);
    }
  }

  #url(request: ApiRequest): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) query.set(name, String(value));
    }
    const search = query.toString();
    return `${this.settings.baseUrl}${request.path}${search ? `?${search}` : ''}`;
  }

  async #send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const { apiKey, clock } = this.settings;
    const headers: Record<string, string> = {
      authorization: `Bearer ${apiKey}`,
      accept: 'application/json',
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.requestId !== undefined) headers['x-request-id'] = request.requestId;
    const timeoutMs = request.requestTimeoutMs ?? this.settings.requestTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;

    let response: Response;
    let text: string;
    try {
      response = await this.settings.fetch(this.#url(request), {
        method: request.method,
        headers,
        signal,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      text = await response.text();
    } catch (cause) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (timeout.aborted) {
        throw new RequestTimeoutError(
          `${request.method} ${request.path} got no answer within ${timeoutMs} ms.`,
          {
            cause,
          },
        );
      }
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ConnectionError(`Could not reach ${this.settings.baseUrl}: ${reason}`, { cause });
    }

    if (!response.ok) throw errorFromResponse(response.status, response.headers, text, clock.now());
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
    } catch (cause) {
      throw new SemarizeError(`${request.method} ${request.path} answered ${response.status} without JSON.`, {
        cause,
      });
    }
  }
}
