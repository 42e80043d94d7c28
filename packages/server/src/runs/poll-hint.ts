import type { Store } from '../store/store.ts';

/**
 * The earliest sensible first poll (SPEC §3.1), from queue depth and recent run durations,
 * 1–30 s. Cached briefly: it is advice, and computing it must not slow the create path.
 */
export function createPollHint(store: Store, clock: { now(): number }, concurrency: number) {
  let cached: { at: number; seconds: number } | null = null;
  return async function pollHintSeconds(): Promise<number> {
    const now = clock.now();
    if (cached && now - cached.at < 1_000) return cached.seconds;
    const stats = await store.queueGetStats();
    const typicalMs = stats.recentDurationMs ?? 1_000;
    const waves = stats.queued / Math.max(1, concurrency) + 1;
    const seconds = Math.min(30, Math.max(1, Math.ceil((waves * typicalMs) / 1_000)));
    cached = { at: now, seconds };
    return seconds;
  };
}
