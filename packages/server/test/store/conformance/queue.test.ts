/**
 * Store conformance: Claims, leases, finishing, recovery and queue depth (QueueStore). Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/runs/records.ts';
import {
  describeStoreConformance,
  FAILED,
  idempotencyClaim,
  idsOf,
  LEASE_MS,
  RUN_TIMEOUT_MS,
  SUCCEEDED,
  T0,
} from '../../support/store-adapters.ts';

describeStoreConformance('QueueStore', ({ store, w }) => {
  describe('runClaim', () => {
    it('claims the oldest queued runs first, up to the limit, with a lease and a deadline', async () => {
      const runs: RunRecord[] = [];
      for (let i = 0; i < 3; i++) {
        w.setTime(T0 + i);
        // Stored before inputs were prepared at creation: the claim gives the input to prepare.
        runs.push(
          await w.queue({ inputJson: JSON.stringify({ transcript: `Rep: Call ${i}.` }), preparedJson: null }),
        );
      }
      const now = T0 + 10_000;
      const claimed = await w.claim('worker-a', now, 2);
      expect(idsOf(claimed).sort()).toEqual(idsOf(runs.slice(0, 2)));
      for (const run of claimed) {
        expect(run).toMatchObject({
          status: 'running',
          attempt: 1,
          workerId: 'worker-a',
          leaseExpiresAt: now + LEASE_MS,
          startedAt: now,
          deadlineAt: now + RUN_TIMEOUT_MS,
          completedAt: null,
        });
        const index = runs.findIndex((r) => r.id === run.id);
        expect(JSON.parse(run.inputJson!)).toEqual({ transcript: `Rep: Call ${index}.` });
        expect(run.preparedJson).toBeNull();
        const { inputJson: _input, preparedJson: _prepared, ...stored } = run;
        expect(await store.runGet(w.acme.id, run.id)).toEqual(stored);
      }
      expect((await store.runGet(w.acme.id, runs[2]!.id))?.status).toBe('queued');
      expect(idsOf(await w.claim('worker-a', now + 1, 5))).toEqual([runs[2]!.id]);
      expect(await w.claim('worker-a', now + 2, 5)).toEqual([]);
    });

    it('takes queued runs from every workspace, but never running, finished or cancelled ones', async () => {
      const cancelled = await w.queue();
      await store.runCancel(w.acme.id, cancelled.id, T0, w.eventId());
      const running = await w.queue();
      await w.claim('worker-a', T0 + 1, 1);
      const theirs = await w.queue({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect(idsOf(await w.claim('worker-b', T0 + 2, 10))).toEqual([theirs.id]);
      expect((await store.runGet(w.acme.id, running.id))?.workerId).toBe('worker-a');
    });

    it('a second attempt keeps the first start and the deadline, with a fresh lease', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 100, 1, 1_000);
      await store.runRecoverExpiredLease({ now: T0 + 2_000, maxAttempts: 3, newEventId: () => w.eventId() });
      const [again] = await w.claim('worker-b', T0 + 3_000, 1, 1_000);
      expect(again).toMatchObject({
        id: run.id,
        attempt: 2,
        workerId: 'worker-b',
        startedAt: T0 + 100,
        deadlineAt: T0 + 100 + RUN_TIMEOUT_MS,
        leaseExpiresAt: T0 + 4_000,
      });
    });

    it('two concurrent claimers never get the same run', async () => {
      const queued = new Set<string>();
      for (let i = 0; i < 20; i++) queued.add((await w.queue()).id);
      const [a, b] = await Promise.all([w.claim('worker-a', T0 + 1, 15), w.claim('worker-b', T0 + 1, 15)]);
      const all = [...idsOf(a!), ...idsOf(b!)];
      expect(new Set(all).size).toBe(all.length);
      // Every run claimed once; how the two split them depends on timing (SKIP LOCKED interleaves).
      expect(new Set(all)).toEqual(queued);
    });

    it('many concurrent claimers split the queue without overlap', async () => {
      for (let i = 0; i < 30; i++) await w.queue();
      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, i) => w.claim(`worker-${i}`, T0 + 1, 4)),
      );
      const all = batches.flatMap(idsOf);
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(4);
      for (const [i, batch] of batches.entries()) {
        for (const run of batch)
          expect((await store.runGet(w.acme.id, run.id))?.workerId).toBe(`worker-${i}`);
      }
    });
  });

  describe('runRenewLease', () => {
    it('extends only the leases this worker still holds at this attempt', async () => {
      const r1 = await w.queue();
      const r2 = await w.queue();
      const r3 = await w.queue();
      await w.claim('worker-a', T0, 2);
      await w.claim('worker-b', T0, 1);

      const renewed = await store.runRenewLease({
        workerId: 'worker-a',
        runs: [
          { runId: r1.id, attempt: 1 },
          { runId: r2.id, attempt: 2 },
          { runId: r3.id, attempt: 1 },
          { runId: 'run_unknown', attempt: 1 },
        ],
        now: T0 + 10_000,
        leaseMs: LEASE_MS,
      });
      expect(renewed).toEqual([r1.id]);
      expect((await store.runGet(w.acme.id, r1.id))?.leaseExpiresAt).toBe(T0 + 10_000 + LEASE_MS);
      expect((await store.runGet(w.acme.id, r2.id))?.leaseExpiresAt).toBe(T0 + LEASE_MS);
      expect((await store.runGet(w.acme.id, r3.id))?.leaseExpiresAt).toBe(T0 + LEASE_MS);
    });

    it('does not renew a run that finished or was cancelled', async () => {
      const done = await w.queue();
      const cancelled = await w.queue();
      await w.claim('worker-a', T0, 2);
      await store.runFinish({
        runId: done.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 1,
        outcome: SUCCEEDED,
        eventId: w.eventId(),
      });
      await store.runCancel(w.acme.id, cancelled.id, T0 + 1, w.eventId());
      const renewed = await store.runRenewLease({
        workerId: 'worker-a',
        runs: [
          { runId: done.id, attempt: 1 },
          { runId: cancelled.id, attempt: 1 },
        ],
        now: T0 + 2,
        leaseMs: LEASE_MS,
      });
      expect(renewed).toEqual([]);
      expect((await store.runGet(w.acme.id, done.id))?.leaseExpiresAt).toBeNull();
      expect((await store.runGet(w.acme.id, cancelled.id))?.leaseExpiresAt).toBeNull();
    });
  });

  describe('runFinish', () => {
    async function running() {
      await w.queue();
      const [claimed] = await w.claim('worker-a', T0 + 100, 1);
      if (!claimed) throw new Error('nothing claimed');
      return claimed;
    }

    it('returns the run exactly as stored (what the executor hands to local waiters)', async () => {
      for (const outcome of [SUCCEEDED, FAILED]) {
        const run = await running();
        const finish = { runId: run.id, workerId: 'worker-a', attempt: 1, now: T0 + 700, outcome };
        const finished = await store.runFinish({ ...finish, eventId: w.eventId() });
        expect(finished).toMatchObject({ id: run.id, status: outcome.status, completedAt: T0 + 700 });
        expect(finished).toEqual(await store.runGet(w.acme.id, run.id));
        // Changed only in what a finish writes: the rest is the run as claimed.
        const { inputJson: _input, preparedJson: _prepared, ...claimed } = run;
        expect(finished).toEqual({
          ...claimed,
          status: outcome.status,
          completedAt: T0 + 700,
          leaseExpiresAt: null,
          outputJson: outcome.status === 'succeeded' ? outcome.outputJson : null,
          errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
          errorMessage: outcome.status === 'failed' ? outcome.errorMessage : null,
          errorUserMessage: outcome.status === 'failed' ? outcome.errorUserMessage : null,
          usageJson: outcome.usageJson,
        });
      }
    });

    it('succeeded: stores the output and usage and writes one run.succeeded event', async () => {
      const run = await running();
      const eventId = w.eventId();
      const finish = {
        runId: run.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 600,
        outcome: SUCCEEDED,
        eventId,
      };
      expect(await store.runFinish(finish)).toMatchObject({
        id: run.id,
        status: 'succeeded',
        completedAt: T0 + 600,
      });
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'succeeded',
        completedAt: T0 + 600,
        startedAt: T0 + 100,
        leaseExpiresAt: null,
        outputJson: SUCCEEDED.outputJson,
        usageJson: SUCCEEDED.usageJson,
        errorCode: null,
        errorMessage: null,
        errorUserMessage: null,
      });
      expect(await store.runEventList(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.succeeded', createdAt: T0 + 600 },
      ]);
    });

    it('failed: stores the error and writes one run.failed event', async () => {
      const run = await running();
      const eventId = w.eventId();
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 700,
          outcome: FAILED,
          eventId,
        }),
      ).toMatchObject({ id: run.id, status: 'failed', completedAt: T0 + 700 });
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'failed',
        completedAt: T0 + 700,
        leaseExpiresAt: null,
        outputJson: null,
        errorCode: 'model_error',
        errorMessage: 'The provider answered 400.',
        errorUserMessage: 'This analysis could not be completed.',
        usageJson: null,
      });
      expect(await store.runEventList(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.failed', createdAt: T0 + 700 },
      ]);
    });

    it('a stale completion (wrong attempt or wrong worker) changes nothing', async () => {
      const run = await running();
      const before = await store.runGet(w.acme.id, run.id);
      const base = { runId: run.id, now: T0 + 600, outcome: SUCCEEDED };
      expect(
        await store.runFinish({ ...base, workerId: 'worker-a', attempt: 2, eventId: w.eventId() }),
      ).toBeNull();
      expect(
        await store.runFinish({ ...base, workerId: 'worker-a', attempt: 0, eventId: w.eventId() }),
      ).toBeNull();
      expect(
        await store.runFinish({ ...base, workerId: 'worker-b', attempt: 1, eventId: w.eventId() }),
      ).toBeNull();
      expect(await store.runGet(w.acme.id, run.id)).toEqual(before);
      expect(await store.runEventList(run.id)).toEqual([]);
    });

    it('a queued run that was never claimed cannot be finished', async () => {
      const run = await w.queue();
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 0,
          now: T0,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('queued');
    });

    it('finishing twice: the second returns null and the run keeps its first outcome and one event', async () => {
      const run = await running();
      const first = w.eventId();
      const base = { runId: run.id, workerId: 'worker-a', attempt: 1 };
      expect(
        await store.runFinish({ ...base, now: T0 + 600, outcome: SUCCEEDED, eventId: first }),
      ).toMatchObject({
        status: 'succeeded',
        completedAt: T0 + 600,
      });
      expect(
        await store.runFinish({ ...base, now: T0 + 700, outcome: FAILED, eventId: w.eventId() }),
      ).toBeNull();
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'succeeded',
        completedAt: T0 + 600,
      });
      expect(idsOf(await store.runEventList(run.id))).toEqual([first]);
    });

    it('concurrent completions of one run: exactly one wins', async () => {
      const run = await running();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.runFinish({
            runId: run.id,
            workerId: 'worker-a',
            attempt: 1,
            now: T0 + 600 + i,
            outcome: i % 2 ? FAILED : SUCCEEDED,
            eventId: w.eventId(),
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.runEventList(run.id)).toHaveLength(1);
    });
  });

  describe('runRelease', () => {
    it('hands the run back to the queue without counting the attempt, only for its holder', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 100, 1);
      expect(await store.runRelease({ runId: run.id, workerId: 'worker-b', attempt: 1 })).toBe(false);
      expect(await store.runRelease({ runId: run.id, workerId: 'worker-a', attempt: 2 })).toBe(false);
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('running');

      expect(await store.runRelease({ runId: run.id, workerId: 'worker-a', attempt: 1 })).toBe(true);
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
      });
      expect(await store.runRelease({ runId: run.id, workerId: 'worker-a', attempt: 1 })).toBe(false);
      expect(await store.runEventList(run.id)).toEqual([]);

      const [again] = await w.claim('worker-b', T0 + 200, 1);
      expect(again).toMatchObject({ id: run.id, attempt: 1, workerId: 'worker-b' });
      // The releasing worker's late completion is refused: worker-b holds attempt 1 now.
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 300,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();
    });
  });

  describe('runRecordCancelledUsage', () => {
    it('writes the usage of a run cancelled under this worker and attempt, once, and nothing else', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 10, 1);
      const usage = JSON.stringify({ input_tokens: 1_200, output_tokens: 60, model_calls: 2 });
      const settle = (p: { workerId?: string; attempt?: number; usageJson?: string | null } = {}) =>
        store.runRecordCancelledUsage({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          usageJson: usage,
          now: T0 + 60,
          ...p,
        });
      // Still running: not a cancelled run, so nothing is written.
      expect(await settle()).toBe(false);
      expect((await store.runGet(w.acme.id, run.id))?.usageJson).toBeNull();

      await store.runCancel(w.acme.id, run.id, T0 + 50, w.eventId(), T0 + 5_050);
      expect(await settle({ workerId: 'worker-b' })).toBe(false);
      expect(await settle({ attempt: 2 })).toBe(false);
      expect((await store.runGet(w.acme.id, run.id))?.usageJson).toBeNull();
      expect(await settle()).toBe(true);
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'cancelled',
        completedAt: T0 + 50,
        usageJson: usage,
      });
      // Usage once written stays: settling again, with other usage or none, changes nothing.
      expect(
        await settle({ usageJson: JSON.stringify({ input_tokens: 9, output_tokens: 9, model_calls: 9 }) }),
      ).toBe(true);
      expect(await settle({ usageJson: null })).toBe(true);
      expect((await store.runGet(w.acme.id, run.id))?.usageJson).toBe(usage);
      expect((await store.runEventList(run.id)).map((e) => e.type)).toEqual(['run.cancelled']);
    });
  });

  describe('runRecoverExpiredLease', () => {
    const recover = (now: number, maxAttempts = 3) =>
      store.runRecoverExpiredLease({ now, maxAttempts, newEventId: () => w.eventId() });

    it('re-queues a run whose lease expired, keeping its attempt count', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      expect(await recover(T0 + 500)).toEqual({ requeued: [], failed: [] });
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('running');

      expect(await recover(T0 + 1_001)).toEqual({ requeued: [run.id], failed: [] });
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'queued',
        attempt: 1,
        workerId: null,
        leaseExpiresAt: null,
      });
      expect(await store.runEventList(run.id)).toEqual([]);
      expect(await recover(T0 + 2_000)).toEqual({ requeued: [], failed: [] });
    });

    it('leaves unexpired and renewed leases alone', async () => {
      const expiring = await w.queue();
      const renewedRun = await w.queue();
      const later = await w.queue();
      await w.claim('worker-a', T0, 2, 1_000);
      await w.claim('worker-b', T0 + 800, 1, 1_000);
      await store.runRenewLease({
        workerId: 'worker-a',
        runs: [{ runId: renewedRun.id, attempt: 1 }],
        now: T0 + 900,
        leaseMs: 1_000,
      });
      expect(await recover(T0 + 1_500)).toEqual({ requeued: [expiring.id], failed: [] });
      expect((await store.runGet(w.acme.id, renewedRun.id))?.workerId).toBe('worker-a');
      expect((await store.runGet(w.acme.id, later.id))?.workerId).toBe('worker-b');
    });

    it('fails the run with worker_lost and one run.failed event once maxAttempts were used', async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      expect(await recover(T0 + 1_001, 2)).toEqual({ requeued: [run.id], failed: [] });
      await w.claim('worker-b', T0 + 2_000, 1, 1_000);
      // The first worker comes back after its run was re-claimed: refused.
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 2_100,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();

      const eventId = `evt_${w.ids.ulid()}`;
      const result = await store.runRecoverExpiredLease({
        now: T0 + 3_001,
        maxAttempts: 2,
        newEventId: () => eventId,
      });
      expect(result).toEqual({ requeued: [], failed: [run.id] });
      const failed = await store.runGet(w.acme.id, run.id);
      expect(failed).toMatchObject({
        status: 'failed',
        attempt: 2,
        errorCode: 'worker_lost',
        completedAt: T0 + 3_001,
        leaseExpiresAt: null,
        outputJson: null,
      });
      expect(failed?.errorMessage).toEqual(expect.any(String));
      expect(failed?.errorUserMessage).toEqual(expect.any(String));
      expect(await store.runEventList(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.failed', createdAt: T0 + 3_001 },
      ]);

      // The second worker's late completion is refused, and recovery does not fail the run twice.
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-b',
          attempt: 2,
          now: T0 + 3_500,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();
      expect(await recover(T0 + 10_000, 2)).toEqual({ requeued: [], failed: [] });
      expect(await store.runEventList(run.id)).toHaveLength(1);
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('failed');
    });

    it("a stale worker's completion after recovery is refused", async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0, 1, 1_000);
      await recover(T0 + 1_001);
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 1_100,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('queued');
      expect(await store.runEventList(run.id)).toEqual([]);
    });
  });

  describe('queue depth', () => {
    it('runCountQueued follows every change of status: create, claim, cancel, release, recovery', async () => {
      for (let i = 0; i < 5; i++) await w.queue();
      for (let i = 0; i < 2; i++) {
        await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      }
      expect(await store.runCountQueued(w.acme.id)).toBe(5);
      expect(await store.runCountQueued(w.globex.id)).toBe(2);

      // A claim takes the two oldest runs of acme out of the queue.
      const [first, second] = await w.claim('worker-a', T0, 2);
      expect(await store.runCountQueued(w.acme.id)).toBe(3);
      // Handed back on shutdown: queued again.
      await store.runRelease({ runId: first!.id, workerId: 'worker-a', attempt: 1 });
      expect(await store.runCountQueued(w.acme.id)).toBe(4);
      // A queued run cancelled, and a running one: only the queued one changes the count.
      const queued = (await store.runList({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] })).find(
        (r) => r.status === 'queued',
      )!;
      await store.runCancel(w.acme.id, queued.id, T0 + 1, w.eventId());
      await store.runCancel(w.acme.id, second!.id, T0 + 1, w.eventId());
      expect(await store.runCountQueued(w.acme.id)).toBe(3);
      // A lost lease re-queues its run.
      await w.claim('worker-b', T0 + 2, 1);
      expect(await store.runCountQueued(w.acme.id)).toBe(2);
      await store.runRecoverExpiredLease({
        now: T0 + 2 + LEASE_MS + 1,
        maxAttempts: 3,
        newEventId: w.eventId,
      });
      expect(await store.runCountQueued(w.acme.id)).toBe(3);
      expect(await store.runCountQueued(w.globex.id)).toBe(2);
      expect((await store.queueGetStats()).queued).toBe(5);
    });

    it('runInsert refuses a run past the cap, exactly, under concurrent creates', async () => {
      await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      const results = await Promise.all(
        Array.from({ length: 40 }, () => store.runInsert(w.newRun(), null, T0, 25)),
      );
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(25);
      expect(results.filter((r) => r.outcome === 'queue_full')).toHaveLength(15);
      expect(await store.runCountQueued(w.acme.id)).toBe(25);
      expect(await store.runList({ workspaceId: w.acme.id, limit: 100, runTypes: ['api'] })).toHaveLength(25);
      // Another workspace's queue is its own.
      const theirs = w.newRun({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect((await store.runInsert(theirs, null, T0, 25)).outcome).toBe('created');
      // Once runs leave the queue, there is room again (the oldest queued run is globex's).
      await w.claim('worker-a', T0 + 1, 2);
      expect((await store.runInsert(w.newRun(), null, T0 + 2, 25)).outcome).toBe('created');
      expect((await store.runInsert(w.newRun(), null, T0 + 2, 25)).outcome).toBe('queue_full');
    });

    it('a full queue still replays (or conflicts on) a live idempotency key, and stores no new key', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      const first = w.newRun();
      expect((await store.runInsert(first, claim, T0, 1)).outcome).toBe('created');
      const replay = await store.runInsert(w.newRun(), claim, T0 + 1, 1);
      expect(replay.outcome === 'replayed' && replay.run.id).toBe(first.id);
      const other = idempotencyClaim('order-1', { input: { transcript: 'Rep: Bye.' } }, T0 + 60_000);
      expect((await store.runInsert(w.newRun(), other, T0 + 2, 1)).outcome).toBe('conflict');
      // A new key on a full queue: refused, and the key is not taken.
      expect(
        (await store.runInsert(w.newRun(), idempotencyClaim('order-2', {}, T0 + 60_000), T0 + 3, 1)).outcome,
      ).toBe('queue_full');
      expect(await store.idempotencyKeyGet(w.acme.id, 'live', 'order-2', T0 + 4)).toBeNull();
    });

    it('concurrent creates with keys under a cap: exactly the cap of runs, each key at most once', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.runInsert(
            w.newRun(),
            idempotencyClaim(`k-${i % 20}`, { input: { transcript: `Rep: ${i % 20}.` } }, T0 + 60_000),
            T0,
            12,
          ),
        ),
      );
      const created = results.filter((r) => r.outcome === 'created');
      expect(created).toHaveLength(12);
      expect(await store.runCountQueued(w.acme.id)).toBe(12);
      expect(results.every((r) => ['created', 'replayed', 'queue_full'].includes(r.outcome))).toBe(true);
    });

    it('queueGetStats: queued runs everywhere and the median duration of recent runs', async () => {
      expect(await store.queueGetStats()).toEqual({ queued: 0, recentDurationMs: null });
      const durations = [100, 300, 200];
      for (const [i, duration] of durations.entries()) {
        const run = await w.queue();
        const start = T0 + i * 10_000;
        await w.claim('worker-a', start, 1);
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: start + duration,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        });
      }
      await w.queue();
      await w.queue({ workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id });
      expect(await store.queueGetStats()).toEqual({ queued: 2, recentDurationMs: 200 });
    });
  });
});
