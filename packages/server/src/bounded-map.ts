/**
 * A Map of at most `capacity` entries: adding a new key when it is full drops the oldest one. For
 * process-wide caches of things that never change (Kit versions, model clients), which must not grow
 * without bound however many distinct keys come by.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #capacity: number;

  constructor(capacity: number) {
    super();
    this.#capacity = capacity;
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.#capacity) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
