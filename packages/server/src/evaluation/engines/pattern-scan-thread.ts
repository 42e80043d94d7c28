/**
 * The thread that runs tracker patterns for guarded-patterns.ts. It is a worker thread so the main
 * thread can stop a pattern that backtracks catastrophically (by terminating this thread), which
 * JavaScript cannot do to a regular expression running on its own thread. Self-contained: it runs
 * as a plain worker, outside any bundler or test transform.
 */
import { type MessagePort, workerData } from 'node:worker_threads';

interface ScanRequest {
  seq: number;
  patterns: { source: string; flags: string }[];
  texts: string[];
  limit: number;
}

const { port, state } = workerData as { port: MessagePort; state: Int32Array };
/** state[0]: sequence number of the last finished scan; state[1]: 1 once this thread listens. */
const DONE = 0;
const READY = 1;

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
  Atomics.store(state, DONE, seq);
  Atomics.notify(state, DONE);
});

Atomics.store(state, READY, 1);
Atomics.notify(state, READY);
