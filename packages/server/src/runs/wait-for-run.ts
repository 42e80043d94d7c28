import type { RunsDeps } from './deps.ts';
import { type RunRecord, TERMINAL_STATUSES } from './records.ts';

/** How often a waiter re-reads the store in case a wake-up was missed. */
const SAFETY_POLL_MS = 1_000;

/**
 * Waits until the run is terminal, `timeoutMs` passes, `signal` aborts or the server shuts down,
 * and returns the run as it then is. Wake-ups make it answer within milliseconds of the run
 * finishing; the safety poll makes it correct when one is missed.
 */
export async function waitForRun(
  deps: Pick<RunsDeps, 'store' | 'signals' | 'shutdown'>,
  workspaceId: string,
  runId: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<RunRecord | null> {
  const deadline = performance.now() + timeoutMs;
  let wake: (() => void) | null = null;
  // Set when a wake-up arrives while the store is being read, so it is not lost.
  let woken = false;
  // The run as this process's own executor just finished it, when it was: no need to read it back.
  let finished: RunRecord | undefined;
  const stop = () => {
    woken = true;
    wake?.();
  };
  const unsubscribe = deps.signals.onFinished(runId, (run) => {
    if (run?.workspaceId === workspaceId && TERMINAL_STATUSES.has(run.status)) finished = run;
    stop();
  });
  signal?.addEventListener('abort', stop);
  deps.shutdown.addEventListener('abort', stop);
  try {
    for (;;) {
      woken = false;
      if (finished) return finished;
      const run = await deps.store.runGet(workspaceId, runId);
      if (finished) return finished;
      if (!run || TERMINAL_STATUSES.has(run.status)) return run;
      const remaining = deadline - performance.now();
      if (remaining <= 0 || signal?.aborted || deps.shutdown.aborted) return run;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, SAFETY_POLL_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', stop);
    deps.shutdown.removeEventListener('abort', stop);
  }
}
