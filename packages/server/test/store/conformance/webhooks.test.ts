/**
 * Store conformance: Webhook endpoints, the delivery queue and its attempts (WebhookStore). Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { WebhookEndpointRecord } from '../../../src/webhooks/records.ts';
import {
  describeStoreConformance,
  live,
  MAX_ENDPOINTS,
  SUCCEEDED,
  T0,
  UNCAPPED,
} from '../../support/store-adapters.ts';

describeStoreConformance('WebhookStore', ({ store, w }) => {
  describe('webhooks', () => {
    const endpoint = (overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
      id: `we_${w.ids.ulid()}`,
      workspaceId: w.acme.id,
      mode: 'live',
      url: 'https://hooks.example.com/semarize',
      description: '',
      events: ['run.succeeded', 'run.failed', 'run.cancelled'],
      payload: 'full',
      enabled: true,
      disabledReason: null,
      secret: 'whsec_current',
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      createdAt: T0,
      updatedAt: T0,
      ...overrides,
    });

    /** A run finished successfully at `at`; returns the event id. */
    async function finishedRun(
      at = T0 + 500,
      workspace = 'acme',
    ): Promise<{ runId: string; eventId: string }> {
      const overrides =
        workspace === 'acme'
          ? {}
          : { workspaceId: w.globex.id, kitCode: 'KTG00001', kitVersionId: w.globexVersion.id };
      const run = await w.queue(overrides);
      await w.claim('worker-a', at - 100, 10);
      const eventId = w.eventId();
      const ok = await store.runFinish({
        runId: run.id,
        workerId: 'worker-a',
        attempt: 1,
        now: at,
        outcome: SUCCEEDED,
        eventId,
      });
      if (!ok) throw new Error('runFinish refused');
      return { runId: run.id, eventId };
    }

    const attempt = (deliveryId: string, n: number, statusCode: number | null, startedAt: number) => ({
      deliveryId,
      attempt: n,
      startedAt,
      statusCode,
      latencyMs: 12,
      responseSnippet: statusCode ? `answered ${statusCode}` : null,
      error: statusCode && statusCode < 300 ? null : 'HTTP failure',
    });

    it('stores endpoints per workspace; updates, rotates and soft-deletes them', async () => {
      const a = endpoint();
      const g = endpoint({ workspaceId: w.globex.id });
      await store.webhookEndpointInsert(a, MAX_ENDPOINTS);
      await store.webhookEndpointInsert(g, MAX_ENDPOINTS);
      expect(await store.webhookEndpointGet(live(w.acme), a.id)).toEqual(a);
      expect(await store.webhookEndpointGet(live(w.globex), a.id)).toBeNull();
      expect((await store.webhookEndpointList(live(w.acme))).map((e) => e.id)).toEqual([a.id]);

      const updated = await store.webhookEndpointUpdate(
        live(w.acme),
        a.id,
        { events: ['run.failed'], payload: 'thin' },
        T0 + 1,
      );
      expect(updated).toMatchObject({
        events: ['run.failed'],
        payload: 'thin',
        url: a.url,
        updatedAt: T0 + 1,
      });
      expect(await store.webhookEndpointUpdate(live(w.globex), a.id, { enabled: false }, T0 + 2)).toBeNull();

      const rotated = await store.webhookEndpointRotateSecret(
        live(w.acme),
        a.id,
        'whsec_next',
        T0 + 86_400_000,
        T0 + 3,
      );
      expect(rotated).toMatchObject({
        secret: 'whsec_next',
        previousSecret: 'whsec_current',
        previousSecretExpiresAt: T0 + 86_400_000,
      });
      expect(await store.webhookEndpointRotateSecret(live(w.globex), a.id, 'whsec_x', T0, T0)).toBeNull();

      expect(await store.webhookEndpointDelete(live(w.globex), a.id, T0 + 4)).toBe(false);
      expect(await store.webhookEndpointDelete(live(w.acme), a.id, T0 + 4)).toBe(true);
      expect(await store.webhookEndpointDelete(live(w.acme), a.id, T0 + 5)).toBe(false);
      expect(await store.webhookEndpointGet(live(w.acme), a.id)).toBeNull();
      expect(await store.webhookEndpointList(live(w.acme))).toEqual([]);
    });

    it('endpoints belong to a mode: a scope sees, changes and deletes only its own mode', async () => {
      const liveOne = endpoint();
      const testOne = endpoint({ mode: 'test' });
      await store.webhookEndpointInsert(liveOne, MAX_ENDPOINTS);
      await store.webhookEndpointInsert(testOne, MAX_ENDPOINTS);
      const test = { workspaceId: w.acme.id, mode: 'test' } as const;
      expect((await store.webhookEndpointList(live(w.acme))).map((e) => e.id)).toEqual([liveOne.id]);
      expect((await store.webhookEndpointList(test)).map((e) => e.id)).toEqual([testOne.id]);
      expect(await store.webhookEndpointGet(test, liveOne.id)).toBeNull();
      expect(await store.webhookEndpointUpdate(test, liveOne.id, { enabled: false }, T0 + 1)).toBeNull();
      expect(await store.webhookEndpointRotateSecret(test, liveOne.id, 'whsec_x', T0, T0)).toBeNull();
      expect(await store.webhookEndpointDelete(test, liveOne.id, T0 + 2)).toBe(false);
      expect(await store.webhookEndpointGet(live(w.acme), liveOne.id)).toEqual(liveOne);

      // A ping to the live endpoint is not reachable from the test scope, and cannot be redelivered there.
      const ping = await store.deliveryInsertPing({
        deliveryId: 'dlv_ping',
        eventId: 'evt_ping',
        endpoint: liveOne,
        now: T0 + 3,
      });
      expect(await store.deliveryGet(test, ping.id)).toBeNull();
      expect(await store.deliveryRedeliver(test, ping.id, T0 + 4)).toBeNull();
      expect((await store.deliveryGet(live(w.acme), ping.id))?.id).toBe(ping.id);
    });

    it('events of api runs go to live endpoints only, of sandbox runs to test endpoints only', async () => {
      const liveOne = endpoint();
      const testOne = endpoint({ mode: 'test' });
      await store.webhookEndpointInsert(liveOne, MAX_ENDPOINTS);
      await store.webhookEndpointInsert(testOne, MAX_ENDPOINTS);
      const deliveriesTo = (e: WebhookEndpointRecord) =>
        store.deliveryList({ workspaceId: w.acme.id, endpointId: e.id, limit: 10 });

      const apiRun = await finishedRun(T0 + 500);
      expect((await deliveriesTo(liveOne)).map((d) => d.runId)).toEqual([apiRun.runId]);
      expect(await deliveriesTo(testOne)).toEqual([]);

      const sandbox = await w.queue({ runType: 'sandbox' });
      await store.runCancel(w.acme.id, sandbox.id, T0 + 600, w.eventId());
      expect((await deliveriesTo(testOne)).map((d) => d.runId)).toEqual([sandbox.id]);
      expect((await deliveriesTo(liveOne)).map((d) => d.runId)).toEqual([apiRun.runId]);
    });

    it('webhookEndpointInsert keeps to the limit per workspace and mode, exactly, under concurrent inserts', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store.webhookEndpointInsert(endpoint(), 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await store.webhookEndpointList(live(w.acme))).toHaveLength(5);
      // The other mode and the other workspace have limits of their own.
      expect(await store.webhookEndpointInsert(endpoint({ mode: 'test' }), 5)).toBe(true);
      expect(await store.webhookEndpointInsert(endpoint({ workspaceId: w.globex.id }), 5)).toBe(true);
      // A deleted endpoint frees its place.
      const [first] = await store.webhookEndpointList(live(w.acme));
      await store.webhookEndpointDelete(live(w.acme), first!.id, T0 + 1);
      expect(await store.webhookEndpointInsert(endpoint(), 5)).toBe(true);
      expect(await store.webhookEndpointInsert(endpoint(), 5)).toBe(false);
    });

    it('a terminal transition queues one delivery per subscribed, enabled endpoint of its workspace, in its transaction', async () => {
      const all = endpoint();
      const failuresOnly = endpoint({ events: ['run.failed'] });
      const disabled = endpoint({ enabled: false });
      const deleted = endpoint();
      const otherWorkspace = endpoint({ workspaceId: w.globex.id });
      for (const e of [all, failuresOnly, disabled, deleted, otherWorkspace])
        await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      await store.webhookEndpointDelete(live(w.acme), deleted.id, T0);

      const { runId, eventId } = await finishedRun();
      const queued = await store.deliveryList({ workspaceId: w.acme.id, endpointId: all.id, limit: 10 });
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({
        eventId,
        eventType: 'run.succeeded',
        eventCreatedAt: T0 + 500,
        runId,
        endpointId: all.id,
        workspaceId: w.acme.id,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 500,
        completedAt: null,
      });
      expect(queued[0]!.id).toMatch(/^dlv_/);
      for (const e of [failuresOnly, disabled, deleted]) {
        expect(await store.deliveryList({ workspaceId: w.acme.id, endpointId: e.id, limit: 10 })).toEqual([]);
      }
      expect(
        await store.deliveryList({ workspaceId: w.globex.id, endpointId: otherWorkspace.id, limit: 10 }),
      ).toEqual([]);

      // A cancellation is an event too.
      const run = await w.queue();
      const cancelEvent = w.eventId();
      await store.runCancel(w.acme.id, run.id, T0 + 900, cancelEvent);
      const afterCancel = await store.deliveryList({
        workspaceId: w.acme.id,
        endpointId: all.id,
        limit: 10,
      });
      expect(afterCancel.map((d) => d.eventType)).toEqual(['run.cancelled', 'run.succeeded']);
      expect(afterCancel[0]!.eventId).toBe(cancelEvent);
    });

    it("a running run's cancellation holds its deliveries until its worker settles it, at most until settleBy", async () => {
      await store.webhookEndpointInsert(endpoint(), MAX_ENDPOINTS);
      const claimDue = async (now: number) =>
        (await store.deliveryClaimDue({ ...UNCAPPED, owner: 'd1', limit: 10, now, leaseMs: 60_000 })).map(
          (d) => ({ runId: d.runId, usageJson: d.run?.usageJson }),
        );
      const settledLater = await w.queue();
      const neverSettled = await w.queue();
      await w.claim('worker-a', T0 + 10, 2);
      const queued = await w.queue();
      for (const run of [settledLater, neverSettled, queued])
        await store.runCancel(w.acme.id, run.id, T0 + 100, w.eventId(), T0 + 5_100);

      // A queued run has no work to settle: its delivery is due at once.
      expect(await claimDue(T0 + 100)).toEqual([{ runId: queued.id, usageJson: null }]);
      // Its worker settles one: due now, and sent with the usage it recorded.
      const usage = JSON.stringify({ input_tokens: 1_200, output_tokens: 60, model_calls: 2 });
      expect(
        await store.runRecordCancelledUsage({
          runId: settledLater.id,
          workerId: 'worker-a',
          attempt: 1,
          usageJson: usage,
          now: T0 + 300,
        }),
      ).toBe(true);
      expect(await claimDue(T0 + 300)).toEqual([{ runId: settledLater.id, usageJson: usage }]);
      // The other is never settled: due at settleBy, without usage.
      expect(await claimDue(T0 + 5_099)).toEqual([]);
      expect(await claimDue(T0 + 5_100)).toEqual([{ runId: neverSettled.id, usageJson: null }]);
    });

    it('claims due deliveries with a lease: never twice at once, again once the lease expired', async () => {
      const e = endpoint();
      await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      await finishedRun(T0 + 500);
      await finishedRun(T0 + 600);
      expect(
        await store.deliveryClaimDue({
          ...UNCAPPED,
          owner: 'd1',
          limit: 10,
          now: T0 + 400,
          leaseMs: 1_000,
        }),
      ).toEqual([]);

      const claim = (owner: string) =>
        store.deliveryClaimDue({ ...UNCAPPED, owner, limit: 1, now: T0 + 700, leaseMs: 1_000 });
      const [first, second] = await Promise.all([claim('d1'), claim('d2')]);
      // Two claims at once never take the same delivery. On PostgreSQL a claim skips an endpoint
      // another claim holds locked (SKIP LOCKED), so one that overlaps may come back empty rather
      // than wait; claiming again then takes the other delivery.
      const claimedAtOnce = [...first, ...second];
      expect(claimedAtOnce.length).toBeGreaterThanOrEqual(1);
      const claimed = claimedAtOnce.length === 2 ? claimedAtOnce : [...claimedAtOnce, ...(await claim('d2'))];
      expect(claimed).toHaveLength(2);
      const [a, b] = [[claimed[0]!], [claimed[1]!]];
      expect(a[0]!.id).not.toBe(b[0]!.id);
      expect(a[0]).toMatchObject({ status: 'delivering', endpoint: { id: e.id, secret: 'whsec_current' } });
      // Each comes with its run as stored: what every attempt of it sends.
      for (const claimed of [a[0]!, b[0]!]) {
        expect(claimed.run).toEqual(await store.runGet(w.acme.id, claimed.runId!));
        expect(claimed.run?.status).toBe('succeeded');
      }
      expect(
        await store.deliveryClaimDue({
          ...UNCAPPED,
          owner: 'd3',
          limit: 10,
          now: T0 + 1_000,
          leaseMs: 1_000,
        }),
      ).toEqual([]);

      // d1 died: its lease runs out and another dispatcher takes the delivery, attempts unchanged.
      const again = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd3',
        limit: 10,
        now: T0 + 1_701,
        leaseMs: 1_000,
      });
      expect(again.map((d) => d.id).sort()).toEqual([a[0]!.id, b[0]!.id].sort());
      expect(again.every((d) => d.attempts === 0)).toBe(true);
    });

    it('records attempts only for the lease holder, with their consequences for the delivery and endpoint', async () => {
      const e = endpoint();
      await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      await finishedRun();
      const [claimed] = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 600,
        leaseMs: 30_000,
      });
      const id = claimed!.id;
      const failure = {
        deliveryId: id,
        owner: 'd2',
        attempt: attempt(id, 1, 500, T0 + 600),
        outcome: 'retry' as const,
        nextAttemptAt: T0 + 10_600,
        disableEndpoint: null,
      };
      expect(await store.deliveryRecordAttempt(failure, T0 + 650)).toBe(false);
      expect(await store.deliveryRecordAttempt({ ...failure, owner: 'd1' }, T0 + 650)).toBe(true);
      expect(await store.deliveryRecordAttempt({ ...failure, owner: 'd1' }, T0 + 650)).toBe(false);
      expect(await store.deliveryGet(live(w.acme), id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 10_600,
        lastStatusCode: 500,
        lastLatencyMs: 12,
        lastError: 'HTTP failure',
      });
      expect((await store.webhookEndpointGet(live(w.acme), e.id))?.failingSince).toBe(T0 + 600);
      expect(
        await store.deliveryClaimDue({
          ...UNCAPPED,
          owner: 'd1',
          limit: 1,
          now: T0 + 10_000,
          leaseMs: 30_000,
        }),
      ).toEqual([]);

      const [retry] = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd2',
        limit: 1,
        now: T0 + 10_600,
        leaseMs: 30_000,
      });
      expect(retry?.attempts).toBe(1);
      const success = {
        deliveryId: id,
        owner: 'd2',
        attempt: attempt(id, 2, 204, T0 + 10_600),
        outcome: 'succeeded' as const,
        nextAttemptAt: null,
        disableEndpoint: null,
      };
      expect(await store.deliveryRecordAttempt(success, T0 + 10_700)).toBe(true);
      expect(await store.deliveryGet(live(w.acme), id)).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        nextAttemptAt: null,
        completedAt: T0 + 10_700,
      });
      expect((await store.webhookEndpointGet(live(w.acme), e.id))?.failingSince).toBeNull();
      expect(await store.deliveryAttemptList([id])).toEqual([
        attempt(id, 1, 500, T0 + 600),
        attempt(id, 2, 204, T0 + 10_600),
      ]);
      expect(await store.deliveryGet(live(w.globex), id)).toBeNull();
    });

    it('disabling as a consequence stops the endpoint; its pending deliveries wait until it is enabled again', async () => {
      const e = endpoint();
      await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      await finishedRun(T0 + 500);
      const [first] = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 600,
        leaseMs: 30_000,
      });
      await store.deliveryRecordAttempt(
        {
          deliveryId: first!.id,
          owner: 'd1',
          attempt: attempt(first!.id, 1, 410, T0 + 600),
          outcome: 'failed',
          nextAttemptAt: null,
          disableEndpoint: 'gone',
        },
        T0 + 650,
      );
      expect(await store.webhookEndpointGet(live(w.acme), e.id)).toMatchObject({
        enabled: false,
        disabledReason: 'gone',
      });
      expect((await store.deliveryGet(live(w.acme), first!.id))?.status).toBe('failed');
      // Redelivered while disabled: due, but not claimed until the endpoint is enabled.
      expect((await store.deliveryRedeliver(live(w.acme), first!.id, T0 + 700))?.status).toBe('pending');
      expect(
        await store.deliveryClaimDue({
          ...UNCAPPED,
          owner: 'd1',
          limit: 5,
          now: T0 + 800,
          leaseMs: 30_000,
        }),
      ).toEqual([]);
      const enabled = await store.webhookEndpointUpdate(live(w.acme), e.id, { enabled: true }, T0 + 900);
      expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const claimed = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd1',
        limit: 5,
        now: T0 + 900,
        leaseMs: 30_000,
      });
      expect(claimed.map((d) => [d.id, d.attempts])).toEqual([[first!.id, 1]]);
      // Redeliver leaves a delivery being sent alone.
      expect((await store.deliveryRedeliver(live(w.acme), first!.id, T0 + 950))?.status).toBe('delivering');
    });

    it('deleting an endpoint fails its undelivered deliveries', async () => {
      const e = endpoint();
      await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      await finishedRun();
      const [pending] = await store.deliveryList({ workspaceId: w.acme.id, endpointId: e.id, limit: 1 });
      await store.webhookEndpointDelete(live(w.acme), e.id, T0 + 1_000);
      expect(await store.deliveryGet(live(w.acme), pending!.id)).toMatchObject({
        status: 'failed',
        completedAt: T0 + 1_000,
        lastError: 'endpoint deleted',
      });
      expect(
        await store.deliveryClaimDue({
          ...UNCAPPED,
          owner: 'd1',
          limit: 5,
          now: T0 + 2_000,
          leaseMs: 1_000,
        }),
      ).toEqual([]);
    });

    it('test pings and the deliveries log: newest first, paged with beforeId', async () => {
      const e = endpoint();
      await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const ping = await store.deliveryInsertPing({
          deliveryId: `dlv_${w.ids.ulid()}`,
          eventId: w.eventId(),
          endpoint: e,
          now: T0 + i,
        });
        expect(ping).toMatchObject({
          eventType: 'ping',
          runId: null,
          status: 'pending',
          nextAttemptAt: T0 + i,
        });
        ids.push(ping.id);
      }
      const claimedPings = await store.deliveryClaimDue({
        ...UNCAPPED,
        owner: 'd1',
        limit: 1,
        now: T0 + 10,
        leaseMs: 1,
      });
      expect(claimedPings).toHaveLength(1);
      expect(claimedPings[0]!.run).toBeNull();
      const first = await store.deliveryList({ workspaceId: w.acme.id, endpointId: e.id, limit: 2 });
      expect(first.map((d) => d.id)).toEqual([ids[4], ids[3], ids[2]]);
      const second = await store.deliveryList({
        workspaceId: w.acme.id,
        endpointId: e.id,
        limit: 2,
        beforeId: ids[3]!,
      });
      expect(second.map((d) => d.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(await store.deliveryList({ workspaceId: w.globex.id, endpointId: e.id, limit: 2 })).toEqual([]);
      expect(await store.deliveryAttemptList([])).toEqual([]);
    });

    describe('fair delivery', () => {
      const CAPS = { maxPerEndpoint: 4, maxPerWorkspace: 100 };
      const claim = (owner: string, limit: number, now: number, caps: Partial<typeof CAPS> = {}) =>
        store.deliveryClaimDue({ owner, limit, now, leaseMs: 30_000, ...CAPS, ...caps });

      /** An endpoint with `count` pings due one millisecond apart from `from`; their ids in order. */
      async function endpointWithPings(count: number, from: number, workspaceId = w.acme.id) {
        const e = endpoint({ workspaceId });
        await store.webhookEndpointInsert(e, MAX_ENDPOINTS);
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const ping = await store.deliveryInsertPing({
            deliveryId: `dlv_${w.ids.ulid()}`,
            eventId: w.eventId(),
            endpoint: e,
            now: from + i,
          });
          ids.push(ping.id);
        }
        return { endpoint: e, ids };
      }

      const succeed = (d: { id: string; attempts: number }, owner: string, at: number) =>
        store.deliveryRecordAttempt(
          {
            deliveryId: d.id,
            owner,
            attempt: attempt(d.id, d.attempts + 1, 204, at),
            outcome: 'succeeded',
            nextAttemptAt: null,
            disableEndpoint: null,
          },
          at,
        );

      const perEndpoint = (claimed: readonly { endpointId: string }[]) => {
        const counts = new Map<string, number>();
        for (const d of claimed) counts.set(d.endpointId, (counts.get(d.endpointId) ?? 0) + 1);
        return counts;
      };

      it('leases at most maxPerEndpoint deliveries to one endpoint at once, oldest first, whoever claims', async () => {
        const one = await endpointWithPings(10, T0);
        const two = await endpointWithPings(10, T0);
        const first = await claim('d1', 100, T0 + 100);
        expect(first).toHaveLength(8);
        expect(perEndpoint(first)).toEqual(
          new Map([
            [one.endpoint.id, 4],
            [two.endpoint.id, 4],
          ]),
        );
        expect(
          first
            .filter((d) => d.endpointId === one.endpoint.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(one.ids.slice(0, 4).sort());
        // Another dispatcher finds both endpoints full.
        expect(await claim('d2', 100, T0 + 100)).toEqual([]);
        // One attempt ends: one place at that endpoint, taken by whoever claims next.
        expect(await succeed(first.find((d) => d.endpointId === one.endpoint.id)!, 'd1', T0 + 200)).toBe(
          true,
        );
        const next = await claim('d2', 100, T0 + 200);
        expect(next.map((d) => d.id)).toEqual([one.ids[4]]);
        // Leases that expired (their dispatcher died) are not in flight: they are due again, first.
        const held = [...first, ...next].filter((d) => d.endpointId === two.endpoint.id).map((d) => d.id);
        const afterExpiry = await claim('d3', 100, T0 + 200 + 30_001);
        expect(perEndpoint(afterExpiry)).toEqual(
          new Map([
            [one.endpoint.id, 4],
            [two.endpoint.id, 4],
          ]),
        );
        expect(
          afterExpiry
            .filter((d) => d.endpointId === two.endpoint.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(held.sort());
      });

      it('concurrent dispatchers together never exceed maxPerEndpoint at one endpoint', async () => {
        const endpoints = await Promise.all(Array.from({ length: 3 }, () => endpointWithPings(20, T0)));
        for (let round = 0; round < 3; round++) {
          const now = T0 + 100 + round * 30_001; // each round after the last round's leases expired
          const claimed = (
            await Promise.all(Array.from({ length: 10 }, (_, i) => claim(`d${i}`, 3, now)))
          ).flat();
          expect(new Set(claimed.map((d) => d.id)).size).toBe(claimed.length);
          for (const count of perEndpoint(claimed).values()) expect(count).toBeLessThanOrEqual(4);
          // The count each claim saw was exact: one more claim fills every endpoint to 4, not past it.
          const topUp = await claim('top-up', 100, now);
          expect(perEndpoint([...claimed, ...topUp])).toEqual(
            new Map(endpoints.map((e) => [e.endpoint.id, 4])),
          );
        }
      });

      it('takes due deliveries round robin across workspaces, the workspace holding fewest first', async () => {
        // Acme's backlog is older and larger, on three endpoints; Globex's one endpoint comes later.
        const acme = [
          await endpointWithPings(6, T0),
          await endpointWithPings(6, T0),
          await endpointWithPings(6, T0),
        ];
        const globex = await endpointWithPings(6, T0 + 50, w.globex.id);
        const workspaceOf = (d: { workspaceId: string }) => (d.workspaceId === w.acme.id ? 'acme' : 'globex');

        const first = await claim('d1', 4, T0 + 100);
        expect(first.map(workspaceOf).sort()).toEqual(['acme', 'acme', 'globex', 'globex']);
        expect(
          first
            .filter((d) => d.workspaceId === w.globex.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual(globex.ids.slice(0, 2).sort());
        // Acme holds two here and Globex two: equal turns again, then Acme's older ones break the tie.
        const second = await claim('d1', 3, T0 + 100);
        expect(second.map(workspaceOf).sort()).toEqual(['acme', 'acme', 'globex']);
        // Then whatever room is left: Globex's last place at its endpoint, and Acme's endpoints fill up.
        const third = await claim('d1', 100, T0 + 100);
        expect(third.map(workspaceOf).filter((name) => name === 'globex')).toHaveLength(1);
        expect(perEndpoint([...first, ...second, ...third])).toEqual(
          new Map([...acme.map((e) => [e.endpoint.id, 4] as const), [globex.endpoint.id, 4]]),
        );
      });

      it("a workspace holds at most maxPerWorkspace of one dispatcher's leases; another dispatcher may take more", async () => {
        await endpointWithPings(4, T0);
        await endpointWithPings(4, T0);
        const globex = await endpointWithPings(2, T0 + 50, w.globex.id);
        const capped = { maxPerWorkspace: 3 };
        const first = await claim('d1', 100, T0 + 100, capped);
        expect(first.filter((d) => d.workspaceId === w.acme.id)).toHaveLength(3);
        expect(
          first
            .filter((d) => d.workspaceId === w.globex.id)
            .map((d) => d.id)
            .sort(),
        ).toEqual([...globex.ids].sort());
        expect(await claim('d1', 100, T0 + 100, capped)).toEqual([]);
        // The cap is per dispatcher: d2 takes three more of Acme's.
        const second = await claim('d2', 100, T0 + 100, capped);
        expect(second.map((d) => d.workspaceId)).toEqual([w.acme.id, w.acme.id, w.acme.id]);
        // A finished attempt gives d1 its place back.
        await succeed(first.find((d) => d.workspaceId === w.acme.id)!, 'd1', T0 + 200);
        expect(await claim('d1', 100, T0 + 200, capped)).toHaveLength(1);
      });
    });
  });
});
