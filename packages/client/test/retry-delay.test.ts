import { describe, expect, it } from 'vitest';
import { ConnectionError, RateLimitError } from '../src/errors.ts';
import { errorFromResponse } from '../src/http/error-from-response.ts';
import {
  isRetryable,
  MAX_BACKOFF_MS,
  MIN_DELAY_MS,
  parseRetryAfter,
  retryDelayMs,
} from '../src/http/retry-delay.ts';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const error = (status: number) => errorFromResponse(status, new Headers(), '', NOW);

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates; ignores what it cannot read', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 12_500).toUTCString(), NOW)).toBe(12);
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('retry delays', () => {
  it('honour the server hint, plus at most 10% so clients told the same second spread out', () => {
    expect(retryDelayMs(0, 30, MAX_BACKOFF_MS, () => 0)).toBe(30_000);
    expect(retryDelayMs(5, 30, MAX_BACKOFF_MS, () => 0.999)).toBeLessThanOrEqual(33_000);
  });

  it('never drop to nothing, even when told Retry-After: 0', () => {
    expect(retryDelayMs(0, 0, MAX_BACKOFF_MS, () => 0)).toBe(MIN_DELAY_MS);
    expect(retryDelayMs(0, null, 50, () => 0)).toBe(MIN_DELAY_MS);
  });

  it('otherwise back off exponentially with equal jitter, up to the cap', () => {
    for (const [attempt, step] of [
      [0, 500],
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [10, 8_000],
    ] as const) {
      expect(retryDelayMs(attempt, null, MAX_BACKOFF_MS, () => 0)).toBe(step / 2);
      expect(retryDelayMs(attempt, null, MAX_BACKOFF_MS, () => 1)).toBe(step);
    }
    expect(retryDelayMs(10, null, 2_000, () => 1)).toBe(2_000);
  });

  it('are spent on connection errors, 408, 429 and 5xx only', () => {
    expect(isRetryable(new ConnectionError('reset'))).toBe(true);
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isRetryable(error(status))).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422])
      expect(isRetryable(error(status))).toBe(false);
    expect(isRetryable(new Error('a bug'))).toBe(false);
  });
});

describe('errors from answers that are not the API error shape', () => {
  it('a proxy HTML page becomes a typed error with an http_<status> code and a safe user message', () => {
    const e = errorFromResponse(
      502,
      new Headers({ 'x-request-id': 'req_proxy' }),
      '<html>Bad Gateway</html>',
      NOW,
    );
    expect(e).toMatchObject({ status: 502, code: 'http_502', requestId: 'req_proxy', detail: null });
    expect(e.message).toContain('Bad Gateway');
    expect(e.userMessage).toMatch(/temporarily unavailable/);
  });

  it('Retry-After comes from the header first, then the body', () => {
    const fromBody = errorFromResponse(
      429,
      new Headers(),
      JSON.stringify({ error: 'rate_limited', message: 'slow down', retry_after_seconds: 7 }),
      NOW,
    );
    expect(fromBody).toBeInstanceOf(RateLimitError);
    expect(fromBody.retryAfter).toBe(7);
    const fromHeader = errorFromResponse(
      429,
      new Headers({ 'retry-after': '3' }),
      '{"retry_after_seconds":7}',
      NOW,
    );
    expect(fromHeader.retryAfter).toBe(3);
  });
});
