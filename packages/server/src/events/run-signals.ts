/**
 * Wake-ups between the parts of the server: "a run was queued" (wakes idle workers) and "run X
 * finished" (wakes sync waiters, long polls and a worker executing a run that got cancelled).
 * They are hints: everyone who waits also re-reads the store on a slow timer.
 */
export interface RunSignals {
  runQueued(): void;
  runFinished(runId: string): void;
  onQueued(listener: () => void): () => void;
  onFinished(runId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Signals within one process (the embedded default). */
export function createLocalSignals(): RunSignals {
  const queued = new Set<() => void>();
  const finished = new Map<string, Set<() => void>>();
  return {
    runQueued() {
      for (const listener of [...queued]) listener();
    },
    runFinished(runId) {
      const listeners = finished.get(runId);
      if (!listeners) return;
      for (const listener of [...listeners]) listener();
    },
    onQueued(listener) {
      queued.add(listener);
      return () => {
        queued.delete(listener);
      };
    },
    onFinished(runId, listener) {
      let listeners = finished.get(runId);
      if (!listeners) {
        listeners = new Set();
        finished.set(runId, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) finished.delete(runId);
      };
    },
    close: async () => {
      queued.clear();
      finished.clear();
    },
  };
}
