import { FairQueue } from './fair-queue.ts';

/**
 * One holder at a time; those waiting get their turn round robin by key (a workspace), so a key
 * with many waiting delays another by one turn (SPEC §9.4). A wait whose signal aborts leaves the
 * queue and rejects with the signal's reason.
 */
export class FairTurns {
  readonly #waiting = new FairQueue<() => void>();
  #held = false;

  /** Resolves with the function that ends the turn; call it exactly once. */
  take(key: string, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#held = true;
        resolve(() => this.#next());
      };
      const onAbort = () => {
        if (this.#waiting.remove(key, start)) reject(signal?.reason);
      };
      if (!this.#held) return start();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(key, start);
    });
  }

  #next(): void {
    this.#held = false;
    this.#waiting.shift()?.();
  }
}
