import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/bounded-map.ts';

describe('BoundedMap', () => {
  it('drops the oldest entry when a new key comes to a full map', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('updating a key it holds drops nothing', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    expect(Object.fromEntries(map)).toEqual({ a: 10, b: 2 });
  });
});
