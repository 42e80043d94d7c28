/**
 * The thread that runs tracker patterns for pattern-scanner.ts. It is a worker thread so that a
 * pattern that backtracks catastrophically can be stopped (by terminating this thread), which
 * JavaScript cannot do to a regular expression running on its own thread. Self-contained: it runs
 * as a plain worker, outside any bundler or test transform.
 */
import { parentPort } from 'node:worker_threads';

interface ScanRequest {
  seq: number;
  patterns: { source: string; flags: string }[];
  texts: string[];
  limit: number;
}

// Kit versions are immutable, so the same patterns come back run after run.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1_000;

function regExp(pattern: { source: string; flags: string }): RegExp {
  const key = `${pattern.flags}/${pattern.source}`;
  let regex = compiled.get(key);
  if (!regex) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    regex = new RegExp(pattern.source, pattern.flags);
    compiled.set(key, regex);
  }
  return regex;
}

const port = parentPort!;
port.on('message', ({ seq, patterns, texts, limit }: ScanRequest) => {
  const found: [number, number, number, string][] = [];
  for (let p = 0; p < patterns.length; p++) {
    const regex = regExp(patterns[p]!);
    let count = 0;
    for (let t = 0; t < texts.length && count < limit; t++) {
      for (const match of texts[t]!.matchAll(regex)) {
        if (match[0] === '') continue;
        found.push([p, t, match.index, match[0]]);
        if (++count >= limit) break;
      }
    }
  }
  port.postMessage({ seq, found });
});
port.postMessage({ ready: true });
