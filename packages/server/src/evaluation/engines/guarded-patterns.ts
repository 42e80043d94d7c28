import vm from 'node:vm';

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

// Regular expressions cannot be interrupted from JavaScript, but V8 can stop a vm script that
// runs past its timeout, backtracking regex included. All patterns run in one script first; only
// when that times out does each run alone, to find and skip the slow one(s).
const scanContext = vm.createContext({});
vm.runInContext(
  `globalThis.scan = function (patterns, texts, limit) {
    const found = [];
    for (let p = 0; p < patterns.length; p++) {
      let count = 0;
      for (let t = 0; t < texts.length && count < limit; t++) {
        for (const match of texts[t].matchAll(patterns[p])) {
          if (match[0] === '') continue;
          found.push([p, t, match.index, match[0]]);
          if (++count >= limit) break;
        }
      }
    }
    return found;
  };`,
  scanContext,
);
const runScan = new vm.Script('scan(patterns, texts, limit)');

/** Every non-empty match of every pattern in every text, giving up on patterns that take too long. */
export function scanPatterns(
  patterns: readonly RegExp[],
  texts: readonly string[],
  timeoutMs = DEFAULT_TIMEOUT_MS,
): PatternScan {
  if (patterns.length === 0) return { matches: [], timedOut: [] };
  const together = scanWithin(patterns, texts, timeoutMs);
  if (together) return { matches: together, timedOut: [] };
  const scan: PatternScan = { matches: [], timedOut: [] };
  for (const [p, pattern] of patterns.entries()) {
    const alone = scanWithin([pattern], texts, timeoutMs);
    if (alone) scan.matches.push(...alone.map((match) => ({ ...match, pattern: p })));
    else scan.timedOut.push(p);
  }
  return scan;
}

function scanWithin(
  patterns: readonly RegExp[],
  texts: readonly string[],
  timeoutMs: number,
): PatternMatch[] | null {
  Object.assign(scanContext, { patterns, texts, limit: MAX_MATCHES_PER_PATTERN });
  try {
    const found = runScan.runInContext(scanContext, { timeout: timeoutMs }) as [
      number,
      number,
      number,
      string,
    ][];
    // Array.from: the script's array belongs to the other realm.
    return Array.from(found, ([pattern, text, start, matched]) => ({
      pattern,
      text,
      start,
      end: start + matched.length,
      matched,
    }));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return null;
    throw error;
  } finally {
    // Do not keep the transcript alive between runs.
    Object.assign(scanContext, { patterns: null, texts: null });
  }
}
