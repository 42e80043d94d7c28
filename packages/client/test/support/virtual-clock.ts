import type { Clock } from '../../src/clock.ts';

/**
 * One clock for the server and the SDK: real time plus an offset. The SDK's waits move the offset
 * instead of sleeping, so a 30-second Retry-After takes no time and the server's rate limiter sees
 * those 30 seconds pass. `sleeps` records every wait the SDK asked for.
 */
export interface VirtualClock extends Clock {
  offset: number;
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function virtualClock(): VirtualClock {
  const clock: VirtualClock = {
    offset: 0,
    sleeps: [],
    now: () => Date.now() + clock.offset,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      clock.sleeps.push(ms);
      clock.offset += ms;
    },
    advance(ms) {
      clock.offset += ms;
    },
  };
  return clock;
}
