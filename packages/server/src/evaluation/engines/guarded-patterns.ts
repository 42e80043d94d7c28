import { BoundedMap } from '../../bounded-map.ts';
import { PatternScanner } from './pattern-scanner.ts';

export interface PatternMatch {
  /** Index of the pattern in the list given. */
  pattern: number;
  /** Index of the text in the list given. */
  text: number;
  start: number;
  end: number;
  matched: string;
}

export interface PatternScan {
  matches: PatternMatch[];
  /** Patterns given up on because they ran past the time limit (catastrophic backtracking). */
  timedOut: number[];
}

/** Enough to count a busy transcript, while a pattern like `\b` cannot flood memory. */
const MAX_MATCHES_PER_PATTERN = 10_000;
const DEFAULT_TIMEOUT_MS = 250;

/**
 * Compiles a tracker's patterns: case-insensitive, Unicode-aware where the pattern allows it.
 * An invalid pattern is a mistake in the Kit, so it throws.
 */
export function compilePatterns(patterns: readonly string[], brickLabel: string): RegExp[] {
  return patterns.map((source) => {
    try {
      return new RegExp(source, 'giu');
    } catch {
      try {
        // Some valid JavaScript patterns (e.g. "\-" outside a class) are only invalid in Unicode mode.
        return new RegExp(source, 'gi');
      } catch (error) {
        throw new Error(
          `${brickLabel}: invalid tracker pattern ${JSON.stringify(source)}: ${(error as Error).message}`,
        );
      }
    }
  });
}

// A regular expression cannot be interrupted on the thread that runs it, so patterns run on a
// worker thread, which is terminated when a scan runs past its limit (catastrophic backtracking).
// All patterns run in one scan first; only when that times out does each run alone, to find and
// skip the slow one(s). The executor's thread serves HTTP meanwhile. (A vm script with a timeout
// would run them on this thread, blocking it, and starts a watchdog thread per call.)
const scanner = new PatternScanner(new URL('./pattern-scan-thread.ts', import.meta.url));

/**
 * Patterns that ran past the limit recently are skipped (reported as timed out) without running:
 * the scan thread is shared by every Kit in the process, so one Kit's catastrophic pattern would
 * otherwise cost every run of it two time limits, and hold up every other Kit's scans meanwhile.
 */
const SLOW_PATTERN_QUARANTINE_MS = 10 * 60_000;
const MAX_QUARANTINED = 1_000;
const quarantined = new BoundedMap<string, number>(MAX_QUARANTINED);
const patternKey = (pattern: RegExp) => `${pattern.flags}/${pattern.source}`;

function isQuarantined(pattern: RegExp, now: number): boolean {
  const until = quarantined.get(patternKey(pattern));
  if (until === undefined) return false;
  if (until > now) return true;
  quarantined.delete(patternKey(pattern));
  return false;
}

function quarantine(pattern: RegExp, now: number): void {
  quarantined.set(patternKey(pattern), now + SLOW_PATTERN_QUARANTINE_MS);
}

/**
 * Every non-empty match of every pattern in every text, giving up on patterns that take too long.
 * `signal` (the run's): scans not yet begun when it aborts are skipped, and this rejects.
 */
export async function scanPatterns(
  patterns: readonly RegExp[],
  texts: readonly string[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PatternScan> {
  const now = Date.now();
  const scan: PatternScan = { matches: [], timedOut: [] };
  const runnable: number[] = [];
  for (const [p, pattern] of patterns.entries()) {
    if (isQuarantined(pattern, now)) scan.timedOut.push(p);
    else runnable.push(p);
  }
  if (runnable.length === 0) return scan;
  const within = (indexes: number[]) =>
    scanWithin(
      indexes.map((p) => patterns[p]!),
      texts,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.signal,
    );
  const together = await within(runnable);
  if (together) {
    scan.matches.push(...together.map((match) => ({ ...match, pattern: runnable[match.pattern]! })));
    return scan;
  }
  const alone = await Promise.all(runnable.map((p) => within([p])));
  for (const [i, found] of alone.entries()) {
    const p = runnable[i]!;
    if (found) scan.matches.push(...found.map((match) => ({ ...match, pattern: p })));
    else {
      scan.timedOut.push(p);
      quarantine(patterns[p]!, Date.now());
    }
  }
  scan.timedOut.sort((a, b) => a - b);
  return scan;
}

async function scanWithin(
  patterns: readonly RegExp[],
  texts: readonly string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<PatternMatch[] | null> {
  const found = await scanner.scan(
    patterns.map(({ source, flags }) => ({ source, flags })),
    texts,
    MAX_MATCHES_PER_PATTERN,
    timeoutMs,
    signal,
  );
  return (
    found?.map(([pattern, text, start, matched]) => ({
      pattern,
      text,
      start,
      end: start + matched.length,
      matched,
    })) ?? null
  );
}
