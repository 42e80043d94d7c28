import { describe, expect, it } from 'vitest';
import { FairTurns } from '../../src/fair-turns.ts';

describe('FairTurns', () => {
  it('gives one turn at a time, round robin by key', async () => {
    const turns = new FairTurns();
    const order: string[] = [];
    const take = async (key: string, tag: string) => {
      const end = await turns.take(key);
      order.push(tag);
      // The turn is held across an await, as a scan holds it while the thread works.
      await Promise.resolve();
      end();
    };
    await Promise.all([take('a', 'a1'), take('a', 'a2'), take('a', 'a3'), take('b', 'b1'), take('c', 'c1')]);
    expect(order).toEqual(['a1', 'a2', 'b1', 'c1', 'a3']);
  });

  it('drops a wait whose signal aborts, with its reason, and the next one gets the turn', async () => {
    const turns = new FairTurns();
    const endFirst = await turns.take('a');
    const controller = new AbortController();
    const cancelled = turns.take('b', controller.signal);
    const next = turns.take('c');
    const reason = new Error('run cancelled');
    controller.abort(reason);
    await expect(cancelled).rejects.toBe(reason);
    endFirst();
    const endNext = await next;
    endNext();
    await expect(turns.take('b', controller.signal)).rejects.toBe(reason);
    (await turns.take('d'))();
  });
});
