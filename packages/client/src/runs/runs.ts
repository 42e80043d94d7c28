import { type ApiRequest, type RequestOptions, requestOptions, type Transport } from '../http/transport.ts';
import type { BrickResults, BrickResultsOf, FinishedRun, Run, RunPage } from '../types/run.ts';
import type { CreateRunParams, ListRunsParams } from '../types/run-params.ts';
import { RunList } from './run-list.ts';
import { isActive } from './run-status.ts';
import {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  LONG_POLL_GRACE_MS,
  LONG_POLL_MAX_SECONDS,
  type WaitOptions,
  waitUntilFinished,
} from './wait-for-run.ts';

export interface CreateOptions extends RequestOptions {
  /**
   * Makes retrying safe: the same key and request give back the same run. Generated when omitted,
   * and reused by every automatic retry of this call.
   */
  idempotencyKey?: string;
}

export interface GetOptions extends RequestOptions {
  /** Long poll: let the server hold the request up to this many seconds (1–60) until the run finishes. */
  waitSeconds?: number;
}

export type CreateAndWaitOptions = CreateOptions & WaitOptions;

const runPath = (runId: string) => `/v1/runs/${encodeURIComponent(runId)}`;
const isoTime = (value: string | Date | undefined) => (value instanceof Date ? value.toISOString() : value);

/** `client.runs`: create, read, list, cancel and wait for runs. */
export class Runs {
  readonly #transport: Transport;
  readonly #waitTimeoutMs: number;

  constructor(transport: Transport, defaults: { waitTimeoutMs: number }) {
    this.#transport = transport;
    this.#waitTimeoutMs = defaults.waitTimeoutMs;
  }

  /**
   * `POST /v1/runs`. Async (the default) answers at once with the queued run; `mode: 'sync'` waits
   * on the server and may answer a still-running run with `sync_fallback: true`.
   */
  async create<B extends BrickResultsOf<B> = BrickResults>(
    params: CreateRunParams,
    options: CreateOptions = {},
  ): Promise<Run<B>> {
    return this.#create<B>(params, options, {});
  }

  /** `GET /v1/runs/{runId}`; with `waitSeconds`, a long poll. */
  async get<B extends BrickResultsOf<B> = BrickResults>(
    runId: string,
    options: GetOptions = {},
  ): Promise<Run<B>> {
    const wait = options.waitSeconds;
    const response = await this.#transport.request<Run<B>>({
      ...requestOptions(options),
      method: 'GET',
      path: runPath(runId),
      ...(wait === undefined
        ? {}
        : {
            headers: { prefer: `wait=${wait}` },
            requestTimeoutMs: options.requestTimeoutMs ?? wait * 1_000 + LONG_POLL_GRACE_MS,
          }),
    });
    return response.body;
  }

  /** Every run matching the filters, newest first, fetched page by page: `for await (const run of …)`. */
  list<B extends BrickResultsOf<B> = BrickResults>(
    params: ListRunsParams = {},
    options: RequestOptions = {},
  ): RunList<B> {
    return new RunList<B>(
      (cursor) => this.listPage<B>({ ...params, ...(cursor === undefined ? {} : { cursor }) }, options),
      params.cursor,
    );
  }

  /** One page of `GET /v1/runs`. */
  async listPage<B extends BrickResultsOf<B> = BrickResults>(
    params: ListRunsParams = {},
    options: RequestOptions = {},
  ): Promise<RunPage<B>> {
    const response = await this.#transport.request<RunPage<B>>({
      ...requestOptions(options),
      method: 'GET',
      path: '/v1/runs',
      query: {
        limit: params.limit,
        cursor: params.cursor,
        status: params.status,
        kit_code: params.kit_code,
        run_type: params.run_type,
        created_after: isoTime(params.created_after),
        created_before: isoTime(params.created_before),
        include: params.include,
      },
    });
    return response.body;
  }

  /**
   * `POST /v1/runs/{runId}/cancel`: a queued or running run becomes `cancelled` (cancelling it again
   * returns it). A finished run throws a ConflictError with code `run_not_cancellable`.
   */
  async cancel<B extends BrickResultsOf<B> = BrickResults>(
    runId: string,
    options: RequestOptions = {},
  ): Promise<Run<B>> {
    const response = await this.#transport.request<Run<B>>({
      ...requestOptions(options),
      method: 'POST',
      path: `${runPath(runId)}/cancel`,
    });
    return response.body;
  }

  /**
   * Resolves with the run once it succeeded, failed or was cancelled — read `status`. Throws
   * WaitTimeoutError when `timeoutMs` passes first.
   */
  async wait<B extends BrickResultsOf<B> = BrickResults>(
    runId: string,
    options: WaitOptions = {},
  ): Promise<FinishedRun<B>> {
    return waitUntilFinished<B>(this.#transport, runId, this.#plan(options));
  }

  /**
   * Creates a run and resolves once it finished. Asks the server to wait (sync mode, up to 60 s
   * and never past `timeoutMs`); if the run is still going after that (`sync_fallback`), continues
   * with long polls. Pass `mode: 'async'` to skip the server-side wait.
   */
  async createAndWait<B extends BrickResultsOf<B> = BrickResults>(
    params: CreateRunParams,
    options: CreateAndWaitOptions = {},
  ): Promise<FinishedRun<B>> {
    const plan = this.#plan(options);
    const waitSeconds = Math.min(
      LONG_POLL_MAX_SECONDS,
      Math.floor((plan.deadline - this.#transport.clock.now()) / 1_000),
    );
    // Without a whole second left, the server's own (longer) sync wait would overrun the deadline.
    const sync = (params.mode ?? 'sync') === 'sync' && waitSeconds >= 1;
    const created = await this.#create<B>(
      { ...params, mode: sync ? 'sync' : 'async' },
      {
        ...options,
        // The server holds a sync create up to `waitSeconds`: the request must outlast that.
        ...(sync
          ? {
              requestTimeoutMs: Math.max(
                options.requestTimeoutMs ?? 0,
                waitSeconds * 1_000 + LONG_POLL_GRACE_MS,
              ),
            }
          : {}),
      },
      {
        deadline: plan.deadline,
        ...(sync ? { headers: { prefer: `wait=${waitSeconds}` } } : {}),
      },
    );
    if (!isActive(created)) return created;
    plan.onProgress?.(created as Run);
    return waitUntilFinished<B>(this.#transport, created.run_id, plan, created);
  }

  async #create<B extends BrickResultsOf<B>>(
    params: CreateRunParams,
    options: CreateOptions,
    extra: Pick<ApiRequest, 'deadline' | 'headers'>,
  ): Promise<Run<B>> {
    const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
    const response = await this.#transport.request<Run<B>>({
      ...requestOptions(options),
      ...extra,
      method: 'POST',
      path: '/v1/runs',
      headers: { ...extra.headers, 'idempotency-key': idempotencyKey },
      body: params,
    });
    return response.body;
  }

  #plan(options: WaitOptions) {
    return {
      deadline: this.#transport.clock.now() + (options.timeoutMs ?? this.#waitTimeoutMs),
      signal: options.signal,
      onProgress: options.onProgress,
      progressIntervalMs: options.progressIntervalMs,
      maxPollIntervalMs: options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_INTERVAL_MS,
    };
  }
}
