import { describe, expect, it } from 'vitest';
import { nextAttemptAt, RETRY_HORIZON_MS } from '../../../src/webhooks/retry-schedule.ts';

describe('webhook retry schedule', () => {
  it('backs off exponentially with jitter: 10 s, 1 min, 5 min, 30 min, 2 h …', () => {
    const expectations = [10, 60, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];
    for (const [i, seconds] of expectations.entries()) {
      const low = nextAttemptAt(i + 1, 0, 0, () => 0)!;
      const high = nextAttemptAt(i + 1, 0, 0, () => 1)!;
      expect(low).toBe(seconds * 800);
      expect(high).toBe(seconds * 1_200);
    }
  });

  it('keeps retrying for three days after the first attempt, then gives up', () => {
    let now = 0;
    let attempts = 0;
    let next: number | null = 0;
    while (next !== null) {
      now = next;
      attempts++;
      next = nextAttemptAt(attempts, 0, now, () => 0.5);
    }
    expect(now).toBeLessThanOrEqual(RETRY_HORIZON_MS);
    expect(now).toBeGreaterThan(RETRY_HORIZON_MS - 86_400_000 * 1.2);
    expect(attempts).toBeGreaterThanOrEqual(10);
  });
});
