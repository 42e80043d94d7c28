import { BoundedMap } from '../bounded-map.ts';
import type { KitVersionRecord } from '../kits/records.ts';
import type { Store } from '../store/store.ts';

/** Enough for every Kit version a deployment runs at once; the oldest entry goes first. */
const MAX_ENTRIES = 1_000;

/**
 * Kit versions as the executor needs them. Their Bricks and model settings never change once
 * written, so each is read once per process; keeping the same objects also lets the engines keep
 * what they compiled for a Brick (the tracker's patterns) across runs.
 */
export class KitVersionCache {
  readonly #store: Store;
  readonly #versions = new BoundedMap<string, KitVersionRecord>(MAX_ENTRIES);

  constructor(store: Store) {
    this.#store = store;
  }

  async get(versionId: string): Promise<KitVersionRecord | null> {
    const cached = this.#versions.get(versionId);
    if (cached) return cached;
    const version = await this.#store.kitVersionGetUnscoped(versionId);
    if (!version) return null;
    this.#versions.set(versionId, version);
    return version;
  }
}
