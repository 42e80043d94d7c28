/** Longest delay a provider may ask for; beyond it the call fails rather than stall the run. */
export const MAX_HINTED_DELAY_MS = 60_000;

/**
 * The provider's own retry hint: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
 * date. Undefined when absent or unreadable.
 */
export function retryHintMs(headers: Record<string, string> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number.parseFloat(lower['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = lower['retry-after'];
  if (after === undefined) return undefined;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … capped at 20 s, drawn uniformly below. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(20_000, 500 * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
