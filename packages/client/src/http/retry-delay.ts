import { APIError, ConnectionError } from '../errors.ts';

/** First backoff step; each retry doubles it. */
const BASE_DELAY_MS = 500;
/** Backoff never grows beyond this without a server hint. */
export const MAX_BACKOFF_MS = 8_000;
/** Even `Retry-After: 0` waits this long, so a loop can never hammer the server. */
export const MIN_DELAY_MS = 100;

/**
 * `Retry-After` as seconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Null when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1_000));
}

/** Connection failures, timeouts, 408, 429 and 5xx: worth another try (creates carry an idempotency key). */
export function isRetryable(error: unknown): error is ConnectionError | APIError {
  if (error instanceof ConnectionError) return true;
  return error instanceof APIError && (error.status === 408 || error.status === 429 || error.status >= 500);
}

/**
 * How long to wait before try number `attempt + 1`. The server's `Retry-After` wins, plus up to 10%
 * so that clients told the same second do not return together; otherwise exponential backoff
 * (0.5 s, 1 s, 2 s, … capped) with "equal jitter": between half and all of the step.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterSeconds: number | null,
  capMs = MAX_BACKOFF_MS,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== null) {
    return Math.max(MIN_DELAY_MS, Math.round(retryAfterSeconds * 1_000 * (1 + random() * 0.1)));
  }
  const step = Math.min(capMs, BASE_DELAY_MS * 2 ** attempt);
  return Math.max(MIN_DELAY_MS, Math.round(step / 2 + (random() * step) / 2));
}
