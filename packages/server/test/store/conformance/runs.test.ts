/**
 * Store conformance: Creating, reading, listing and cancelling runs (RunStore), and the adapter itself. Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/runs/records.ts';
import type { Store } from '../../../src/store/store.ts';
import {
  describeStoreConformance,
  FAILED,
  idempotencyClaim,
  idsOf,
  NO_CAP,
  SUCCEEDED,
  T0,
} from '../../support/store-adapters.ts';

describeStoreConformance('RunStore', ({ adapter, store, w }) => {
  it('names its dialect and answers a ping', async () => {
    expect(store.dialect).toBe(adapter.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('runInsert and idempotency', () => {
    it('creates a queued run that only its workspace can read', async () => {
      const run = w.newRun({ metadataJson: JSON.stringify({ deal: 42 }), mode: 'sync' });
      const result = await store.runInsert(run, null, T0, NO_CAP);
      const expected: RunRecord = {
        id: run.id,
        workspaceId: w.acme.id,
        status: 'queued',
        runType: 'api',
        mode: 'sync',
        kitCode: 'KTA00001',
        kitVersionId: w.acmeVersion.id,
        createdAt: T0,
        startedAt: null,
        completedAt: null,
        deadlineAt: null,
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
        metadataJson: JSON.stringify({ deal: 42 }),
        outputJson: null,
        errorCode: null,
        errorMessage: null,
        errorUserMessage: null,
        usageJson: null,
        requestId: 'req_test',
      };
      expect(result).toEqual({ outcome: 'created', run: expected });
      expect(await store.runGet(w.acme.id, run.id)).toEqual(expected);
      expect(await store.runGet(w.globex.id, run.id)).toBeNull();
      expect(await store.runGet(w.acme.id, 'run_unknown')).toBeNull();
    });

    it('records the idempotency key with the run, until it expires', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 1_000);
      const run = w.newRun();
      await store.runInsert(run, claim, T0, NO_CAP);
      expect(await store.idempotencyKeyGet(w.acme.id, 'live', 'order-1', T0 + 999)).toEqual({
        workspaceId: w.acme.id,
        mode: 'live',
        key: 'order-1',
        fingerprint: claim.fingerprint,
        fieldHashes: claim.fieldHashes,
        runId: run.id,
        expiresAt: T0 + 1_000,
      });
      expect(await store.idempotencyKeyGet(w.acme.id, 'live', 'order-1', T0 + 1_000)).toBeNull();
      expect(await store.idempotencyKeyGet(w.globex.id, 'live', 'order-1', T0)).toBeNull();
    });

    it('same key and fingerprint: replays the original run in its current state', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      const first = w.newRun();
      expect((await store.runInsert(first, claim, T0, NO_CAP)).outcome).toBe('created');
      await w.claim('worker-a', T0 + 10);

      const retry = w.newRun({ createdAt: T0 + 20 });
      const replay = await store.runInsert(retry, claim, T0 + 20, NO_CAP);
      expect(replay.outcome).toBe('replayed');
      if (replay.outcome !== 'replayed') return;
      expect(replay.run.id).toBe(first.id);
      expect(replay.run.status).toBe('running');
      expect(await store.runGet(w.acme.id, retry.id)).toBeNull();
      expect(idsOf(await store.runList({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual([
        first.id,
      ]);
    });

    it('same key, different request: a conflict naming the differing fields, and nothing stored', async () => {
      const first = w.newRun();
      await store.runInsert(first, idempotencyClaim('order-1', {}, T0 + 60_000), T0, NO_CAP);

      const other = w.newRun();
      const changedInput = idempotencyClaim('order-1', { input: { transcript: 'Rep: Bye.' } }, T0 + 60_000);
      expect(await store.runInsert(other, changedInput, T0 + 1, NO_CAP)).toEqual({
        outcome: 'conflict',
        fields: ['input'],
        runId: first.id,
      });

      const changedKitAndType = idempotencyClaim(
        'order-1',
        { kit_code: 'KTA00002', type: 'sandbox' },
        T0 + 60_000,
      );
      const result = await store.runInsert(other, changedKitAndType, T0 + 2, NO_CAP);
      expect(result.outcome).toBe('conflict');
      if (result.outcome !== 'conflict') return;
      expect([...result.fields].sort()).toEqual(['kit_code', 'type']);

      expect(await store.runGet(w.acme.id, other.id)).toBeNull();
      expect((await store.idempotencyKeyGet(w.acme.id, 'live', 'order-1', T0 + 3))?.runId).toBe(first.id);
    });

    it('keys are scoped to the workspace', async () => {
      const claim = idempotencyClaim('order-1', {}, T0 + 60_000);
      await store.runInsert(w.newRun(), claim, T0, NO_CAP);
      const theirs = w.newRun({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      const result = await store.runInsert(theirs, claim, T0 + 1, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.idempotencyKeyGet(w.globex.id, 'live', 'order-1', T0 + 2))?.runId).toBe(theirs.id);
    });

    it('keys are scoped to the mode: a test key and a live key never meet', async () => {
      const liveRun = w.newRun();
      await store.runInsert(liveRun, idempotencyClaim('order-1', {}, T0 + 60_000, 'live'), T0, NO_CAP);
      // The same key and request from a test key is its own run, not a replay (and not a conflict).
      const testRun = w.newRun({ runType: 'sandbox' });
      const claim = idempotencyClaim('order-1', { type: 'sandbox' }, T0 + 60_000, 'test');
      const result = await store.runInsert(testRun, claim, T0 + 1, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.idempotencyKeyGet(w.acme.id, 'test', 'order-1', T0 + 2))?.runId).toBe(testRun.id);
      expect((await store.idempotencyKeyGet(w.acme.id, 'live', 'order-1', T0 + 2))?.runId).toBe(liveRun.id);
    });

    it('an expired key may be reused: a new run, and the key now names it', async () => {
      const original = w.newRun();
      await store.runInsert(original, idempotencyClaim('order-1', {}, T0 + 1_000), T0, NO_CAP);

      // expiresAt <= now: expired, even with a different request.
      const reuse = w.newRun({ createdAt: T0 + 1_000 });
      const differentRequest = idempotencyClaim(
        'order-1',
        { input: { transcript: 'Rep: New call.' } },
        T0 + 5_000,
      );
      const result = await store.runInsert(reuse, differentRequest, T0 + 1_000, NO_CAP);
      expect(result.outcome).toBe('created');
      expect((await store.idempotencyKeyGet(w.acme.id, 'live', 'order-1', T0 + 1_001))?.runId).toBe(reuse.id);
      // The original run is still there; only the key moved on.
      expect((await store.runGet(w.acme.id, original.id))?.status).toBe('queued');

      // The same request after the key expired again is also a new run, not a replay.
      const again = w.newRun({ createdAt: T0 + 5_000 });
      expect((await store.runInsert(again, differentRequest, T0 + 5_000, NO_CAP)).outcome).toBe('created');
    });

    it('50 concurrent identical requests with one key coalesce into one run', async () => {
      const claim = idempotencyClaim('burst', {}, T0 + 60_000);
      const attempts = Array.from({ length: 50 }, () => w.newRun());
      const results = await Promise.all(attempts.map((run) => store.runInsert(run, claim, T0, NO_CAP)));
      const created = results.filter((r) => r.outcome === 'created');
      const replayed = results.filter((r) => r.outcome === 'replayed');
      expect(created).toHaveLength(1);
      expect(replayed).toHaveLength(49);
      const runId = created[0]?.outcome === 'created' ? created[0].run.id : '';
      for (const r of replayed) if (r.outcome === 'replayed') expect(r.run.id).toBe(runId);
      expect(idsOf(await store.runList({ workspaceId: w.acme.id, limit: 100, runTypes: ['api'] }))).toEqual([
        runId,
      ]);
    });

    it('concurrent different requests with one key: one run, every other request a conflict', async () => {
      const attempts = Array.from({ length: 10 }, (_, i) => ({
        run: w.newRun(),
        claim: idempotencyClaim('contested', { input: { transcript: `Rep: Call ${i}.` } }, T0 + 60_000),
      }));
      const results = await Promise.all(attempts.map((a) => store.runInsert(a.run, a.claim, T0, NO_CAP)));
      const created = results.filter((r) => r.outcome === 'created');
      expect(created).toHaveLength(1);
      const runId = created[0]?.outcome === 'created' ? created[0].run.id : '';
      for (const r of results.filter((x) => x.outcome !== 'created')) {
        expect(r).toEqual({ outcome: 'conflict', fields: ['input'], runId });
      }
      expect(await store.runCountQueued(w.acme.id)).toBe(1);
    });
  });

  describe('runList', () => {
    /** Five api runs a second apart, one sandbox run, one run of another Kit, one in globex. */
    async function fiveRuns() {
      const runs: RunRecord[] = [];
      for (let i = 1; i <= 5; i++) {
        w.setTime(T0 + i * 1_000);
        runs.push(await w.queue());
      }
      return runs;
    }

    it('lists newest first, returning up to limit + 1 rows', async () => {
      const runs = await fiveRuns();
      const newestFirst = idsOf(runs).reverse();
      expect(idsOf(await store.runList({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual(
        newestFirst,
      );
      expect(idsOf(await store.runList({ workspaceId: w.acme.id, limit: 2, runTypes: ['api'] }))).toEqual(
        newestFirst.slice(0, 3),
      );
      expect(await store.runList({ workspaceId: w.acme.id, limit: 5, runTypes: ['api'] })).toHaveLength(5);
    });

    it('orders by id even when runs share a millisecond', async () => {
      const runs = [await w.queue(), await w.queue(), await w.queue()];
      expect(idsOf(await store.runList({ workspaceId: w.acme.id, limit: 10, runTypes: ['api'] }))).toEqual(
        idsOf(runs).reverse(),
      );
    });

    it('pages with beforeId through every run exactly once', async () => {
      const runs = await fiveRuns();
      const seen: string[] = [];
      let beforeId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await store.runList({
          workspaceId: w.acme.id,
          limit: 2,
          runTypes: ['api'],
          ...(beforeId ? { beforeId } : {}),
        });
        const pageRows = rows.slice(0, 2);
        seen.push(...idsOf(pageRows));
        if (rows.length <= 2) break;
        beforeId = pageRows[pageRows.length - 1]?.id;
      }
      expect(seen).toEqual(idsOf(runs).reverse());
    });

    it('filters by status, Kit code, run types and creation time', async () => {
      const runs = await fiveRuns();
      const [r1, r2, r3, r4, r5] = runs.map((r) => r.id);
      w.setTime(T0 + 6_000);
      const sandbox = await w.queue({ runType: 'sandbox' });
      const discovery = await w.queue({ kitCode: 'KTA00002', kitVersionId: w.acmeSecondVersion.id });
      await store.runCancel(w.acme.id, r2!, T0 + 7_000, w.eventId());

      const list = (q: Partial<Parameters<Store['runList']>[0]>) =>
        store.runList({ workspaceId: w.acme.id, limit: 50, runTypes: ['api'], ...q }).then(idsOf);

      expect(await list({ status: 'cancelled' })).toEqual([r2]);
      expect(await list({ status: 'queued' })).toEqual([discovery.id, r5, r4, r3, r1]);
      expect(await list({ kitCode: 'KTA00002' })).toEqual([discovery.id]);
      expect(await list({ runTypes: ['sandbox'] })).toEqual([sandbox.id]);
      expect(await list({ runTypes: ['api', 'sandbox'] })).toEqual([
        discovery.id,
        sandbox.id,
        r5,
        r4,
        r3,
        r2,
        r1,
      ]);
      expect(await list({ createdAfter: T0 + 2_500 })).toEqual([discovery.id, r5, r4, r3]);
      expect(await list({ createdBefore: T0 + 2_500 })).toEqual([r2, r1]);
      expect(await list({ createdAfter: T0 + 1_500, createdBefore: T0 + 4_500 })).toEqual([r4, r3, r2]);
      expect(await list({ status: 'queued', createdBefore: T0 + 3_500, beforeId: r3 })).toEqual([r1]);
    });

    it('lists only the asking workspace', async () => {
      const mine = await w.queue();
      const theirs = await w.queue({
        workspaceId: w.globex.id,
        kitCode: 'KTG00001',
        kitVersionId: w.globexVersion.id,
      });
      expect(
        idsOf(await store.runList({ workspaceId: w.acme.id, limit: 10, runTypes: ['api', 'sandbox'] })),
      ).toEqual([mine.id]);
      expect(
        idsOf(await store.runList({ workspaceId: w.globex.id, limit: 10, runTypes: ['api', 'sandbox'] })),
      ).toEqual([theirs.id]);
    });
  });

  describe('runCancel', () => {
    it('queued → cancelled at once, with a run.cancelled event; no worker can claim it', async () => {
      const run = await w.queue();
      const eventId = w.eventId();
      const result = await store.runCancel(w.acme.id, run.id, T0 + 50, eventId);
      expect(result.outcome).toBe('cancelled');
      if (result.outcome !== 'cancelled') return;
      expect(result.run).toMatchObject({
        id: run.id,
        status: 'cancelled',
        errorCode: 'cancelled',
        completedAt: T0 + 50,
      });
      expect(result.run.errorMessage).toEqual(expect.any(String));
      expect(result.run.errorUserMessage).toEqual(expect.any(String));
      expect(await store.runGet(w.acme.id, run.id)).toEqual(result.run);
      expect(await store.runEventList(run.id)).toEqual([
        { id: eventId, workspaceId: w.acme.id, runId: run.id, type: 'run.cancelled', createdAt: T0 + 50 },
      ]);
      expect(await w.claim('worker-a', T0 + 60)).toEqual([]);
    });

    it("running → cancelled with an event; the worker's later completion is refused", async () => {
      const run = await w.queue();
      await w.claim('worker-a', T0 + 10, 1, 1_000);
      const result = await store.runCancel(w.acme.id, run.id, T0 + 50, w.eventId());
      expect(result.outcome).toBe('cancelled');
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({
        status: 'cancelled',
        errorCode: 'cancelled',
        leaseExpiresAt: null,
      });
      expect(
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 60,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        }),
      ).toBeNull();
      expect(
        await store.runRecoverExpiredLease({
          now: T0 + 5_000,
          maxAttempts: 1,
          newEventId: () => w.eventId(),
        }),
      ).toEqual({ requeued: [], failed: [] });
      expect(await store.runGet(w.acme.id, run.id)).toMatchObject({ status: 'cancelled', outputJson: null });
      expect((await store.runEventList(run.id)).map((e) => e.type)).toEqual(['run.cancelled']);
    });

    it('cancelling again answers already_cancelled and writes no second event', async () => {
      const run = await w.queue();
      await store.runCancel(w.acme.id, run.id, T0 + 50, w.eventId());
      const again = await store.runCancel(w.acme.id, run.id, T0 + 90, w.eventId());
      expect(again.outcome).toBe('already_cancelled');
      if (again.outcome !== 'already_cancelled') return;
      expect(again.run).toMatchObject({ id: run.id, status: 'cancelled', completedAt: T0 + 50 });
      expect(await store.runEventList(run.id)).toHaveLength(1);
    });

    it('a finished run is not cancellable and stays as it was', async () => {
      const done = await w.queue();
      const lost = await w.queue();
      await w.claim('worker-a', T0, 2);
      const base = { workerId: 'worker-a', attempt: 1, now: T0 + 10 };
      await store.runFinish({ ...base, runId: done.id, outcome: SUCCEEDED, eventId: w.eventId() });
      await store.runFinish({ ...base, runId: lost.id, outcome: FAILED, eventId: w.eventId() });

      for (const run of [done, lost]) {
        const before = await store.runGet(w.acme.id, run.id);
        const result = await store.runCancel(w.acme.id, run.id, T0 + 20, w.eventId());
        expect(result).toEqual({ outcome: 'not_cancellable', run: before });
        expect(await store.runGet(w.acme.id, run.id)).toEqual(before);
        expect(await store.runEventList(run.id)).toHaveLength(1);
      }
    });

    it("another workspace's run, or an unknown one, is not_found and untouched", async () => {
      const run = await w.queue();
      expect(await store.runCancel(w.globex.id, run.id, T0 + 10, w.eventId())).toEqual({
        outcome: 'not_found',
      });
      expect(
        await store.runCancel(w.acme.id, 'run_01JUNKNOWN0000000000000000', T0 + 10, w.eventId()),
      ).toEqual({
        outcome: 'not_found',
      });
      expect((await store.runGet(w.acme.id, run.id))?.status).toBe('queued');
      expect(await store.runEventList(run.id)).toEqual([]);
    });
  });
});
