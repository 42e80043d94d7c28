/**
 * Wake-ups between processes over LISTEN/NOTIFY (src/events/pg-signals.ts): two signal instances
 * on one schema stand for two processes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPgSignals, type PgSignals } from '../../src/events/pg-signals.ts';
import { waitFor } from '../support/http-client.ts';
import {
  adminQuery,
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres-schema.ts';

/** Counts calls, so a test can wait for the next one. */
function counter() {
  let calls = 0;
  return {
    listener: () => {
      calls++;
    },
    get calls() {
      return calls;
    },
  };
}

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL wake-ups (LISTEN/NOTIFY)', () => {
  let schema: TestSchema;
  let a: PgSignals;
  let b: PgSignals;
  const changes: string[] = [];

  beforeEach(async () => {
    schema = await createTestSchema();
    changes.length = 0;
    const open = () =>
      createPgSignals({
        url: schema.url,
        applicationName: schema.name,
        backoff: { initialMs: 20, maxMs: 200 },
        onConnectionChange: (change) => changes.push(change.state),
      });
    a = open();
    b = open();
    await Promise.all([a.started, b.started]);
  });

  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await schema.drop();
  });

  it('a run queued in one process wakes idle workers in the other, and its own at once', async () => {
    const inA = counter();
    const inB = counter();
    a.onQueued(inA.listener);
    b.onQueued(inB.listener);
    a.runQueued();
    expect(inA.calls).toBe(1);
    await waitFor(async () => inB.calls === 1, 10_000, 'the other process to hear of the queued run');
    b.runQueued();
    await waitFor(async () => inA.calls >= 2, 10_000, 'the first process to hear back');
    // Each listener gets NOTIFYs in commit order: A's own came back before B's, and was ignored.
    expect(inA.calls).toBe(2);
  });

  it('a run finished in one process wakes the waiters on that run in the other, and only those', async () => {
    const waiting = counter();
    const other = counter();
    const dispatcher = counter();
    a.onFinished('run_01', waiting.listener);
    a.onFinished('run_02', other.listener);
    a.onDeliveryQueued(dispatcher.listener);
    b.runFinished('run_01');
    await waitFor(async () => waiting.calls === 1, 10_000, 'the waiter on run_01');
    // A terminal transition may have queued webhook deliveries: dispatchers wake too.
    await waitFor(async () => dispatcher.calls >= 1, 10_000, 'the dispatcher');
    expect(other.calls).toBe(0);
  });

  it('signals of one moment travel together, and every one arrives', async () => {
    const heard = new Set<string>();
    const ids = Array.from({ length: 400 }, (_, i) => `run_${String(i).padStart(26, '0')}`);
    for (const id of ids) a.onFinished(id, () => heard.add(id));
    for (const id of ids) b.runFinished(id);
    await waitFor(async () => heard.size === ids.length, 10_000, 'every finished run');
  });

  it('after its connection is killed it reconnects, wakes every listener, and hears signals again', async () => {
    const waiting = counter();
    const idle = counter();
    a.onFinished('run_01', waiting.listener);
    a.onQueued(idle.listener);
    await adminQuery(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [schema.name],
    );
    await waitFor(
      async () => changes.filter((c) => c === 'restored').length === 2,
      10_000,
      'both to reconnect',
    );
    // A notification may have been missed while disconnected: everybody re-checks.
    expect(waiting.calls).toBeGreaterThanOrEqual(1);
    expect(idle.calls).toBeGreaterThanOrEqual(1);
    const before = waiting.calls;
    b.runFinished('run_01');
    await waitFor(async () => waiting.calls > before, 10_000, 'a signal after reconnecting');
  });
});
