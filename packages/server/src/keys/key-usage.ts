import { BoundedMap } from '../bounded-map.ts';
import type { Clock } from '../clock.ts';
import type { KeyUse } from '../store/records.ts';
import type { Store } from '../store/store.ts';

/** A key's last use is written at most this often per process: `last_used_at` is that accurate. */
export const KEY_USE_RESOLUTION_MS = 60_000;
/** Uses noted within this long of the first one go to the store in one batch. */
const FLUSH_DELAY_MS = 1_000;
/** Keys remembered per process; a key pushed out is written again at its next use, no harm. */
const REMEMBERED_KEYS = 100_000;

/**
 * Records when API keys are used (GET /v1/keys `last_used_at`) without a write per request: a
 * request only notes its key in memory, and a timer writes each key at most once a minute, in
 * batches, off the request path. A failed write is logged and dropped: the next minute writes again.
 */
export class KeyUsage {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  /** When each key's use was last queued for writing. */
  readonly #queuedAt = new BoundedMap<string, number>(REMEMBERED_KEYS);
  #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(deps: { store: Store; clock: Clock; onError: (error: unknown) => void }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#onError = deps.onError;
  }

  /** On every authenticated request: a map lookup, and a timer at most once a second. */
  used(keyId: string): void {
    const now = this.#clock.now();
    const last = this.#queuedAt.get(keyId);
    if (last !== undefined && now - last < KEY_USE_RESOLUTION_MS) return;
    this.#queuedAt.set(keyId, now);
    this.#pending.set(keyId, now);
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what is pending (also on close); resolves once it is written or given up. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch: KeyUse[] = [...this.#pending].map(([keyId, at]) => ({ keyId, at }));
    this.#pending = new Map();
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() => this.#store.apiKeyRecordUse(batch)).catch(this.#onError);
    return this.#flushing;
  }
}
