import type { RunRecord } from '../runs/records.ts';

/**
 * Wake-ups between the parts of the server: "a run was queued" (wakes idle workers) and "run X
 * finished" (wakes sync waiters, long polls and a worker executing a run that got cancelled).
 * They are hints: everyone who waits also re-reads the store on a slow timer.
 */
export interface RunSignals {
  runQueued(): void;
  /**
   * `run`: the run as its terminal transition committed it, when the signal comes from the process
   * that made the transition; listeners in that process can answer without reading it back.
   * Signals from other processes (and wakeAll) carry none.
   */
  runFinished(runId: string, run?: RunRecord): void;
  onQueued(listener: () => void): () => void;
  onFinished(runId: string, listener: FinishedListener): () => void;
  /** New webhook deliveries are due (an event, a redeliver, a test ping). */
  deliveryQueued(): void;
  onDeliveryQueued(listener: () => void): () => void;
  close(): Promise<void>;
}

export type FinishedListener = (run: RunRecord | undefined) => void;

/** In-process signals, plus a way to wake every listener at once. */
export interface LocalSignals extends RunSignals {
  /**
   * Wakes every listener as if everything had happened: for when wake-ups may have been missed
   * (a lost LISTEN connection). Listeners treat a wake-up as a hint and re-read the store.
   */
  wakeAll(): void;
}

/** Signals within one process (the embedded default, and the local half of PostgreSQL signals). */
export function createLocalSignals(): LocalSignals {
  const queued = new Set<() => void>();
  const deliveries = new Set<() => void>();
  const finished = new Map<string, Set<FinishedListener>>();
  return {
    runQueued() {
      for (const listener of [...queued]) listener();
    },
    runFinished(runId, run) {
      // A terminal transition may have queued webhook deliveries.
      for (const listener of [...deliveries]) listener();
      const listeners = finished.get(runId);
      if (!listeners) return;
      for (const listener of [...listeners]) listener(run);
    },
    deliveryQueued() {
      for (const listener of [...deliveries]) listener();
    },
    onDeliveryQueued(listener) {
      deliveries.add(listener);
      return () => {
        deliveries.delete(listener);
      };
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
    wakeAll() {
      for (const listener of [...queued, ...deliveries]) listener();
      for (const listeners of [...finished.values()]) {
        for (const listener of [...listeners]) listener(undefined);
      }
    },
    close: async () => {
      queued.clear();
      deliveries.clear();
      finished.clear();
    },
  };
}
