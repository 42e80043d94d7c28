import { BoundedMap } from '../../bounded-map.ts';
import { type Clock, systemClock } from '../../clock.ts';
import { FairTurns } from '../../fair-turns.ts';
import { threadScript } from '../../thread-script.ts';
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
  /** Patterns skipped: quarantined, past the per-pattern limit, or past the run's budget. */
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
const scanner = new PatternScanner(threadScript(import.meta.url, 'pattern-scan-thread'));
// Runs of several workspaces may scan on one thread at once (small runs are evaluated on the
// executor's thread): the scan thread takes their scans round robin by workspace (SPEC §9.4), one
// at a time, so one workspace's slow patterns delay another's scan by one scan at most.
const turns = new FairTurns();

/** How long a pattern that ran past the per-pattern limit is skipped without running. */
export const SLOW_PATTERN_QUARANTINE_MS = 10 * 60_000;
const MAX_QUARANTINED = 1_000;

/**
 * Patterns that ran past the per-pattern limit recently, skipped (reported as skipped) without
 * running: the scan thread is shared, so a catastrophic pattern would otherwise cost every run of
 * its Kit a time limit or two, and hold up other runs' scans meanwhile. Keyed by workspace (SPEC
 * §9.3): one workspace's slow pattern never changes another workspace's results.
 */
export class PatternQuarantine {
  readonly #until = new BoundedMap<string, number>(MAX_QUARANTINED);
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  has(workspaceId: string, pattern: RegExp): boolean {
    const key = quarantineKey(workspaceId, patternKey(pattern));
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.#clock.now()) return true;
    this.#until.delete(key);
    return false;
  }

  add(workspaceId: string, pattern: RegExp): void {
    this.addKeys(workspaceId, [patternKey(pattern)]);
  }

  /** The workspace's quarantined patterns, as keys: to hand to a thread that scans its runs. */
  keysOf(workspaceId: string): string[] {
    const prefix = quarantineKey(workspaceId, '');
    const now = this.#clock.now();
    const keys: string[] = [];
    for (const [key, until] of this.#until) {
      if (key.startsWith(prefix) && until > now) keys.push(key.slice(prefix.length));
    }
    return keys;
  }

  addKeys(workspaceId: string, keys: readonly string[]): void {
    const until = this.#clock.now() + SLOW_PATTERN_QUARANTINE_MS;
    for (const key of keys) this.#until.set(quarantineKey(workspaceId, key), until);
  }
}

const patternKey = (pattern: RegExp) => `${pattern.flags}/${pattern.source}`;
const quarantineKey = (workspaceId: string, key: string) => `${workspaceId}\u0000${key}`;

/**
 * The time all of one run's patterns may take together (SPEC §9.3), shared by the run's scans:
 * patterns just under the per-pattern limit cannot add up to a long run.
 */
export interface PatternBudget {
  remainingMs: number;
}

export interface ScanOptions {
  /** Whose patterns these are: quarantine is kept per workspace. */
  workspaceId: string;
  quarantine: PatternQuarantine;
  budget: PatternBudget;
  /** The per-pattern limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Every non-empty match of every pattern in every text, skipping patterns that are quarantined,
 * that run past the per-pattern limit (they are quarantined), or that the run's budget no longer
 * covers. `signal` (the run's): scans not yet begun when it aborts are skipped, and this rejects.
 */
export async function scanPatterns(
  patterns: readonly RegExp[],
  texts: readonly string[],
  options: ScanOptions,
): Promise<PatternScan> {
  const { workspaceId, quarantine, budget } = options;
  const limitMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const scan: PatternScan = { matches: [], timedOut: [] };
  const runnable: number[] = [];
  for (const [p, pattern] of patterns.entries()) {
    if (quarantine.has(workspaceId, pattern)) scan.timedOut.push(p);
    else runnable.push(p);
  }
  const within = async (indexes: number[]) => {
    const timeoutMs = Math.min(limitMs, budget.remainingMs);
    const found = await scanWithin(
      workspaceId,
      indexes.map((p) => patterns[p]!),
      texts,
      timeoutMs,
      options.signal,
    );
    budget.remainingMs -= found.ranMs;
    // Past the per-pattern limit itself, not merely past what was left of the budget.
    return { matches: found.matches, overLimit: found.matches === null && timeoutMs >= limitMs };
  };
  if (runnable.length > 0 && budget.remainingMs > 0) {
    const together = await within(runnable);
    if (together.matches) {
      scan.matches.push(
        ...together.matches.map((match) => ({ ...match, pattern: runnable[match.pattern]! })),
      );
      return scan;
    }
    // One at a time, so the slow one(s) are found, and the budget is spent in a known order.
    for (const p of runnable) {
      if (budget.remainingMs <= 0) {
        scan.timedOut.push(p);
        continue;
      }
      const alone = await within([p]);
      if (alone.matches) scan.matches.push(...alone.matches.map((match) => ({ ...match, pattern: p })));
      else {
        scan.timedOut.push(p);
        if (alone.overLimit) quarantine.add(workspaceId, patterns[p]!);
      }
    }
  } else {
    scan.timedOut.push(...runnable);
  }
  scan.timedOut.sort((a, b) => a - b);
  return scan;
}

async function scanWithin(
  workspaceId: string,
  patterns: readonly RegExp[],
  texts: readonly string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ matches: PatternMatch[] | null; ranMs: number }> {
  const endTurn = await turns.take(workspaceId, signal);
  let outcome: Awaited<ReturnType<PatternScanner['scan']>>;
  try {
    outcome = await scanner.scan(
      patterns.map(({ source, flags }) => ({ source, flags })),
      texts,
      MAX_MATCHES_PER_PATTERN,
      timeoutMs,
      signal,
    );
  } finally {
    endTurn();
  }
  const { found, ranMs } = outcome;
  const matches =
    found?.map(([pattern, text, start, matched]) => ({
      pattern,
      text,
      start,
      end: start + matched.length,
      matched,
    })) ?? null;
  return { matches, ranMs };
}
