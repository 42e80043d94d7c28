import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import { RateLimiter, rateLimitHeaders } from '../../src/http/rate-limiter.ts';

function fakeClock(start = Date.UTC(2025, 0, 6)): Clock & { advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** 6 per minute: one token every 10 seconds. */
function limiter(create = 6, read = 60) {
  const clock = fakeClock();
  return { clock, limiter: new RateLimiter({ create, read }, clock) };
}

describe('RateLimiter', () => {
  it('allows a burst of `limit` requests, counting down what remains', () => {
    const { limiter: rl } = limiter();
    const remaining = Array.from({ length: 6 }, () => rl.take('key_a', 'create'));
    expect(remaining.map((d) => d?.allowed)).toEqual([true, true, true, true, true, true]);
    expect(remaining.map((d) => d?.remaining)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(remaining[0]).toMatchObject({ limit: 6, resetSeconds: 10 });
    expect(remaining[5]).toMatchObject({ resetSeconds: 60 });
  });

  it('refuses once the bucket is empty, saying when to retry', () => {
    const { limiter: rl, clock } = limiter();
    for (let i = 0; i < 6; i++) rl.take('key_a', 'create');
    expect(rl.take('key_a', 'create')).toEqual({
      allowed: false,
      remaining: 0,
      resetSeconds: 10,
      retryAfterSeconds: 10,
      limit: 6,
    });
    clock.advance(4_000);
    expect(rl.take('key_a', 'create')).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
  });

  it('refills over time, one token per limit-th of a minute', () => {
    const { limiter: rl, clock } = limiter();
    for (let i = 0; i < 6; i++) rl.take('key_a', 'create');
    clock.advance(9_000);
    expect(rl.take('key_a', 'create')?.allowed).toBe(false);
    clock.advance(1_001);
    expect(rl.take('key_a', 'create')).toMatchObject({ allowed: true, remaining: 0 });
    expect(rl.take('key_a', 'create')?.allowed).toBe(false);
    clock.advance(20_001);
    expect(rl.take('key_a', 'create')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('never holds more than `limit` tokens, however long the key was idle', () => {
    const { limiter: rl, clock } = limiter();
    rl.take('key_a', 'create');
    clock.advance(3_600_000);
    const decisions = Array.from({ length: 7 }, () => rl.take('key_a', 'create')?.allowed);
    expect(decisions).toEqual([true, true, true, true, true, true, false]);
  });

  it('keeps separate buckets per key and per bucket name', () => {
    const { limiter: rl } = limiter(1, 2);
    expect(rl.take('key_a', 'create')?.allowed).toBe(true);
    expect(rl.take('key_a', 'create')?.allowed).toBe(false);
    expect(rl.take('key_b', 'create')?.allowed).toBe(true);
    expect(rl.take('key_a', 'read')).toMatchObject({ allowed: true, remaining: 1, limit: 2 });
  });

  it('limit 0 means unlimited: no decision at all', () => {
    const { limiter: rl } = limiter(0, 60);
    for (let i = 0; i < 1_000; i++) expect(rl.take('key_a', 'create')).toBeNull();
    expect(rl.limitOf('create')).toBe(0);
    expect(rl.limitOf('read')).toBe(60);
  });
});

describe('rateLimitHeaders', () => {
  it('formats RateLimit-Policy and RateLimit as the IETF draft fields', () => {
    const { limiter: rl } = limiter();
    const decision = rl.take('key_a', 'create');
    expect(decision).not.toBeNull();
    expect(rateLimitHeaders('create', decision!)).toEqual({
      'RateLimit-Policy': '"create";q=6;w=60',
      RateLimit: '"create";r=5;t=10',
    });
  });

  it('on refusal, t is the wait until the next token', () => {
    const { limiter: rl } = limiter(60, 2);
    rl.take('key_a', 'read');
    rl.take('key_a', 'read');
    const refused = rl.take('key_a', 'read')!;
    expect(refused.allowed).toBe(false);
    expect(rateLimitHeaders('read', refused)).toEqual({
      'RateLimit-Policy': '"read";q=2;w=60',
      RateLimit: '"read";r=0;t=30',
    });
  });
});
