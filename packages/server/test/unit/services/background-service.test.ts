import { describe, expect, it } from 'vitest';
import {
  BackgroundService,
  type ServiceTiming,
  type TurnResult,
} from '../../../src/services/background-service.ts';
import { type Service, startAll, stopAll } from '../../../src/services/service.ts';
import { eventLoopTurns, gate } from '../../support/gate.ts';
import { waitFor } from '../../support/http-client.ts';
import { recordingLogger } from '../../support/recording-logger.ts';

/** Waits no test would sit out: a wait this long showing up means the wrong one was taken. */
const FOREVER = 3_600_000;

/** A service whose turns follow a script, with work in flight the test finishes or abandons. */
class Probe extends BackgroundService {
  turns = 0;
  unsubscribed = 0;
  ticks = 0;
  gaveUp = 0;
  /** What the next turns answer; an Error is thrown, a gate is awaited (then 'idle'). */
  readonly script: (TurnResult | Error | { passed: Promise<void> })[] = [];
  readonly work = new Set<Promise<void>>();
  readonly #abandon = new Set<() => void>();
  readonly log: ReturnType<typeof recordingLogger>;

  constructor(timing: Partial<ServiceTiming> = {}, log = recordingLogger()) {
    super('probe', log, { idlePollMs: FOREVER, errorBackoffMs: FOREVER, ...timing });
    this.log = log;
  }

  /** Work that lasts until the test finishes it, or the grace is over. */
  holdWork(): () => void {
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.work.add(done);
    this.#abandon.add(finish);
    return finish;
  }

  protected async turn(): Promise<TurnResult> {
    this.turns++;
    const next = this.script.shift() ?? 'idle';
    if (next instanceof Error) throw next;
    if (typeof next === 'object') {
      await next.passed;
      return 'idle';
    }
    return next;
  }

  protected override starting(): void {
    this.untilStopped(() => this.unsubscribed++);
    this.every(5, () => {
      this.ticks++;
    });
  }

  protected override inFlight(): Promise<unknown> {
    return Promise.all(this.work);
  }

  protected override graceOver(): void {
    this.gaveUp++;
    for (const abandon of this.#abandon) abandon();
  }
}

describe('BackgroundService: the loop', () => {
  it('takes its first turn at start, then waits the idle poll; a poke cuts the wait', async () => {
    const probe = new Probe();
    probe.start();
    expect(probe.turns).toBe(1);
    await eventLoopTurns();
    expect(probe.turns).toBe(1);
    probe.poke();
    await waitFor(async () => probe.turns === 2, 5_000, 'the poked turn');
    await probe.stop();
  });

  it("takes the next turn at once after 'again'", async () => {
    const probe = new Probe();
    probe.script.push('again', 'again', 'idle');
    probe.start();
    await waitFor(async () => probe.turns === 3, 5_000, 'three turns');
    await eventLoopTurns();
    expect(probe.turns).toBe(3);
    await probe.stop();
  });

  it('waits the error backoff, not the idle poll, after a failed turn', async () => {
    const probe = new Probe({ errorBackoffMs: 10 });
    probe.script.push('failed');
    probe.start();
    await waitFor(async () => probe.turns === 2, 5_000, 'the turn after the backoff');
    await probe.stop();
  });

  it('logs a turn that throws, backs off, and goes on', async () => {
    const probe = new Probe({ errorBackoffMs: 10 });
    const boom = new Error('boom');
    probe.script.push(boom);
    probe.start();
    await waitFor(async () => probe.turns === 2, 5_000, 'the turn after the throw');
    expect(probe.log.entries).toEqual([
      {
        level: 'error',
        bindings: { err: boom, service: 'probe' },
        message: 'background service turn failed',
      },
    ]);
    expect(probe.running).toBe(true);
    await probe.stop();
  });
});

describe('BackgroundService: start and stop', () => {
  it('runs one loop however often it is started; stop before start and a second stop do nothing', async () => {
    const probe = new Probe();
    await probe.stop();
    expect(probe.unsubscribed).toBe(0);
    probe.start();
    probe.start();
    expect(probe.turns).toBe(1);
    const first = probe.stop();
    expect(probe.stop()).toBe(first);
    await first;
    await probe.stop();
    expect(probe.unsubscribed).toBe(1);
    expect(probe.running).toBe(false);
  });

  it('ends subscriptions at once, and resolves only after the turn in progress', async () => {
    const probe = new Probe();
    const held = gate();
    probe.script.push(held);
    probe.start();
    let stopped = false;
    const stopping = probe.stop().then(() => {
      stopped = true;
    });
    expect(probe.unsubscribed).toBe(1);
    await eventLoopTurns();
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(probe.turns).toBe(1);
  });

  it('waits for work in flight, with its timers still running, and clears them after', async () => {
    const probe = new Probe();
    const finish = probe.holdWork();
    probe.start();
    let stopped = false;
    const stopping = probe.stop().then(() => {
      stopped = true;
    });
    const ticksAtStop = probe.ticks;
    await waitFor(async () => probe.ticks > ticksAtStop, 5_000, 'a timer tick while draining');
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(probe.gaveUp).toBe(0);
  });

  it('tells work still in flight when the grace is over to give up, and waits for it', async () => {
    const probe = new Probe({ stopGraceMs: 20 });
    probe.holdWork();
    probe.start();
    await probe.stop();
    expect(probe.gaveUp).toBe(1);
  });

  it('does not wait out the grace when the work finishes first', async () => {
    const probe = new Probe({ stopGraceMs: FOREVER });
    const finish = probe.holdWork();
    probe.start();
    const stopping = probe.stop();
    finish();
    await stopping;
    expect(probe.gaveUp).toBe(0);
  });

  it('starts again after a stop, with its subscriptions and timers anew', async () => {
    const probe = new Probe();
    probe.start();
    await probe.stop();
    probe.start();
    expect(probe.turns).toBe(2);
    expect(probe.running).toBe(true);
    const ticks = probe.ticks;
    await waitFor(async () => probe.ticks > ticks, 5_000, 'a timer tick after the restart');
    await probe.stop();
    expect(probe.unsubscribed).toBe(2);
  });
});

describe('startAll and stopAll', () => {
  const recorded = (events: string[], name: string, failStart = false): Service => ({
    name,
    start() {
      if (failStart) throw new Error(`${name} cannot start`);
      events.push(`start ${name}`);
    },
    async stop() {
      events.push(`stop ${name}`);
    },
  });

  it('start in order and stop in the reverse', async () => {
    const events: string[] = [];
    const services = [recorded(events, 'a'), recorded(events, 'b'), recorded(events, 'c')];
    await startAll(services);
    await stopAll(services);
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('stop what started when a later service fails to start, and pass the error on', async () => {
    const events: string[] = [];
    const services = [recorded(events, 'a'), recorded(events, 'b'), recorded(events, 'c', true)];
    await expect(startAll(services)).rejects.toThrow('c cannot start');
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });
});
