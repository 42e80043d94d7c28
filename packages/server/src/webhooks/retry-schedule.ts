/** Delays between delivery attempts (SPEC §4), the Standard Webhooks schedule; ±20 % jitter each. */
const SCHEDULE_MS = [10, 60, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((s) => s * 1_000);

/** Deliveries are retried for up to three days after the event. */
export const RETRY_HORIZON_MS = 3 * 24 * 3_600 * 1_000;

/** An endpoint failing every delivery this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600 * 1_000;

/**
 * When to try again after `attempts` failed attempts of a delivery first due at `firstAttemptAt`,
 * or null once the three-day horizon is passed.
 */
export function nextAttemptAt(
  attempts: number,
  firstAttemptAt: number,
  now: number,
  random: () => number = Math.random,
): number | null {
  const base = SCHEDULE_MS[Math.min(attempts - 1, SCHEDULE_MS.length - 1)]!;
  const next = now + Math.round(base * (0.8 + 0.4 * random()));
  return next - firstAttemptAt > RETRY_HORIZON_MS ? null : next;
}
