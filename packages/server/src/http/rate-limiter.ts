import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';

export type BucketName = 'create' | 'read';

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until a token is available again (when refused) or until the bucket is full. */
  resetSeconds: number;
  /** Retry-After on refusal. */
  retryAfterSeconds: number;
  limit: number;
}

/**
 * Token buckets per API key and bucket (SPEC §5): `limit` requests per minute, bursting up to
 * `limit`. In memory, per process: with N `serve` processes a key gets up to N× (see operations docs).
 */
export class RateLimiter {
  readonly #limits: Record<BucketName, number>;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(limits: Record<BucketName, number>, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  limitOf(bucket: BucketName): number {
    return this.#limits[bucket];
  }

  take(keyId: string, bucket: BucketName): RateDecision | null {
    const limit = this.#limits[bucket];
    if (limit <= 0) return null;
    const perMs = limit / 60_000;
    const now = this.#clock.now();
    const id = `${bucket}:${keyId}`;
    const state = this.#buckets.get(id) ?? { tokens: limit, at: now };
    state.tokens = Math.min(limit, state.tokens + (now - state.at) * perMs);
    state.at = now;
    const allowed = state.tokens >= 1;
    if (allowed) state.tokens -= 1;
    this.#buckets.set(id, state);
    const untilOne = Math.max(1, Math.ceil((1 - state.tokens) / perMs / 1_000));
    return {
      allowed,
      remaining: Math.floor(state.tokens),
      resetSeconds: allowed ? Math.ceil((limit - state.tokens) / perMs / 1_000) : untilOne,
      retryAfterSeconds: untilOne,
      limit,
    };
  }
}

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(bucket: BucketName, decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${bucket}";q=${decision.limit};w=60`,
    RateLimit: `"${bucket}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

/** The 429 a refused request answers, on the REST API and as an MCP tool error alike. */
export function rateLimited(bucket: BucketName, decision: RateDecision): ApiError {
  const what =
    bucket === 'create' ? 'writes (run creations, Kit, Brick and webhook changes, tests)' : 'reads';
  return new ApiError('rate_limited', {
    message: `Rate limit of ${decision.limit} ${what} per minute exceeded.`,
    detail: { reason: 'rate_limit', bucket },
    retryAfterSeconds: decision.retryAfterSeconds,
  });
}
