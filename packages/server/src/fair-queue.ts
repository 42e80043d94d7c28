/**
 * A queue per key (a workspace), served round robin: the next item comes from the key after the
 * one served last, so a key with a thousand items waiting delays another key by one item, not a
 * thousand (SPEC §9.4).
 */
export class FairQueue<T> {
  // A Map iterates in insertion order: the key served is moved to the end when it has more.
  readonly #queues = new Map<string, T[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(key: string, item: T): void {
    const queue = this.#queues.get(key);
    if (queue) queue.push(item);
    else this.#queues.set(key, [item]);
    this.#size++;
  }

  shift(): T | undefined {
    const next = this.#queues.entries().next();
    if (next.done) return undefined;
    const [key, queue] = next.value;
    const item = queue.shift()!;
    this.#queues.delete(key);
    if (queue.length > 0) this.#queues.set(key, queue);
    this.#size--;
    return item;
  }

  /** Takes `item` out wherever it waits; false when it is not queued. */
  remove(key: string, item: T): boolean {
    const queue = this.#queues.get(key);
    const at = queue?.indexOf(item) ?? -1;
    if (!queue || at < 0) return false;
    queue.splice(at, 1);
    if (queue.length === 0) this.#queues.delete(key);
    this.#size--;
    return true;
  }
}
