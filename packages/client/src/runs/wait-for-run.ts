import { WaitTimeoutError } from '../errors.ts';
import { isRetryable, parseRetryAfter, retryDelayMs } from '../http/retry-delay.ts';
import type { ApiResponse, Transport } from '../http/transport.ts';
import type { BrickResultsOf, FinishedRun, Run } from '../types/run.ts';
import { isActive } from './run-status.ts';

export interface WaitOptions {
  /** Give up after this long overall (the run keeps going on the server). Default: the client's `waitTimeoutMs`. */
  timeoutMs?: number;
  /** Stops waiting; the call rejects with the signal's reason. The run is not cancelled. */
  signal?: AbortSignal;
  /** Called with the run each time it is seen still queued or running. */
  onProgress?: (run: Run) => void;
  /**
   * Report to `onProgress` at least this often (whole seconds, at least 1 s): each long poll is cut
   * to it, so a status change (queued → running) is seen while waiting, and a finished run is still
   * answered the moment it finishes. Default: only when a long poll ends (up to 60 s).
   */
  progressIntervalMs?: number;
  /** Longest pause between polls when the server does not hold a long poll. Default 10 s. */
  maxPollIntervalMs?: number;
}

export interface WaitPlan {
  deadline: number;
  signal: AbortSignal | undefined;
  onProgress: ((run: Run) => void) | undefined;
  progressIntervalMs: number | undefined;
  maxPollIntervalMs: number;
}

/** The server holds `GET /v1/runs/{id}` with `Prefer: wait=N` for at most this long. */
export const LONG_POLL_MAX_SECONDS = 60;
/** A request asking the server to wait N seconds gets N seconds plus this before it times out. */
export const LONG_POLL_GRACE_MS = 10_000;

export const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;

/**
 * Waits until the run is no longer queued or running, or the deadline passes. Each request is a
 * long poll (`Prefer: wait=N`, N up to 60 s and never past the deadline), which the server answers
 * the moment the run finishes. When a server answers without holding the request (no long-poll
 * support, shutting down), the loop falls back to polling: `Retry-After` when given, else jittered
 * exponential backoff. Rate limits, 5xx and connection errors are waited out until the deadline.
 */
export async function waitUntilFinished<B extends BrickResultsOf<B>>(
  transport: Transport,
  runId: string,
  plan: WaitPlan,
  lastSeen: Run<B> | null = null,
): Promise<FinishedRun<B>> {
  const { clock } = transport;
  const { deadline, signal } = plan;
  let last: Run<B> | null = lastSeen;
  let lastError: unknown;
  let failures = 0;
  let shortAnswers = 0;

  const pause = (ms: number) => clock.sleep(Math.max(0, Math.min(ms, deadline - clock.now())), signal);
  const longestPollSeconds =
    plan.onProgress && plan.progressIntervalMs !== undefined
      ? Math.max(1, Math.min(LONG_POLL_MAX_SECONDS, Math.floor(plan.progressIntervalMs / 1_000)))
      : LONG_POLL_MAX_SECONDS;

  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new WaitTimeoutError(
        runId,
        last as Run | null,
        lastError === undefined ? {} : { cause: lastError },
      );
    }
    const waitSeconds = Math.min(longestPollSeconds, Math.floor(remaining / 1_000));
    const started = clock.now();
    let response: ApiResponse<Run<B>>;
    try {
      response = await transport.request<Run<B>>({
        method: 'GET',
        path: `/v1/runs/${encodeURIComponent(runId)}`,
        headers: waitSeconds >= 1 ? { prefer: `wait=${waitSeconds}` } : {},
        requestTimeoutMs: waitSeconds * 1_000 + LONG_POLL_GRACE_MS,
        maxRetries: 0,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      lastError = error;
      const retryAfter = 'retryAfter' in error ? error.retryAfter : null;
      await pause(retryDelayMs(failures++, retryAfter, plan.maxPollIntervalMs));
      continue;
    }
    failures = 0;
    const run = response.body;
    last = run;
    if (!isActive(run)) return run;
    plan.onProgress?.(run as Run);

    // A held long poll can be repeated at once; an early answer means the server did not hold it.
    const held = clock.now() - started;
    if (waitSeconds >= 1 && response.headers.has('preference-applied') && held >= (waitSeconds * 1_000) / 2) {
      shortAnswers = 0;
      continue;
    }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    await pause(retryDelayMs(shortAnswers++, retryAfter, plan.maxPollIntervalMs));
  }
}
