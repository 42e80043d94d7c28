/**
 * Store conformance: The retention pass (RetentionStore). Every test runs against every adapter
 * (describeStoreConformance, test/support/store-adapters.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RetentionPass } from '../../../src/store/retention-records.ts';
import type { WebhookEndpointRecord } from '../../../src/webhooks/records.ts';
import {
  describeStoreConformance,
  FAILED,
  idempotencyClaim,
  live,
  MAX_ENDPOINTS,
  NO_CAP,
  SUCCEEDED,
  T0,
  UNCAPPED,
} from '../../support/store-adapters.ts';

describeStoreConformance('RetentionStore', ({ store, w }) => {
  describe('retention', () => {
    const pass = (overrides: Partial<RetentionPass> = {}): RetentionPass => ({
      now: T0 + 10_000,
      inputsCompletedBefore: null,
      attemptsStartedBefore: null,
      limit: 100,
      ...overrides,
    });

    it('deletes idempotency keys once expired, and only those', async () => {
      await store.runInsert(w.newRun(), idempotencyClaim('old', {}, T0 + 5_000), T0, NO_CAP);
      await store.runInsert(w.newRun(), idempotencyClaim('young', {}, T0 + 50_000), T0, NO_CAP);
      expect(await store.retentionPurgeExpired(pass())).toEqual({
        idempotencyKeys: 1,
        inputs: 0,
        attempts: 0,
      });
      // Looked up as of a moment when it had not yet expired: it is gone from the table.
      expect(await store.idempotencyKeyGet(w.acme.id, 'live', 'old', T0 + 1)).toBeNull();
      expect(await store.idempotencyKeyGet(w.acme.id, 'live', 'young', T0 + 1)).not.toBeNull();
      expect((await store.retentionPurgeExpired(pass())).idempotencyKeys).toBe(0);
    });

    it('purges the inputs of runs finished before the cut-off, once, in batches of at most limit', async () => {
      const finished: string[] = [];
      for (let i = 0; i < 3; i++) {
        const run = await w.queue({ metadataJson: JSON.stringify({ deal: i }) });
        await w.claim('worker-a', T0 + 100, 1);
        await store.runFinish({
          runId: run.id,
          workerId: 'worker-a',
          attempt: 1,
          now: T0 + 200,
          outcome: SUCCEEDED,
          eventId: w.eventId(),
        });
        finished.push(run.id);
      }
      const late = await w.queue();
      await w.claim('worker-a', T0 + 100, 1);
      await store.runFinish({
        runId: late.id,
        workerId: 'worker-a',
        attempt: 1,
        now: T0 + 9_000,
        outcome: FAILED,
        eventId: w.eventId(),
      });
      const queued = await w.queue();

      const cut = { inputsCompletedBefore: T0 + 5_000 };
      expect((await store.retentionPurgeExpired(pass({ ...cut, limit: 2 }))).inputs).toBe(2);
      expect((await store.retentionPurgeExpired(pass({ ...cut, limit: 2 }))).inputs).toBe(1);
      expect((await store.retentionPurgeExpired(pass(cut))).inputs).toBe(0);
      // What the API shows is untouched: status, output, metadata.
      const first = await store.runGet(w.acme.id, finished[0]!);
      expect(first).toMatchObject({
        status: 'succeeded',
        outputJson: SUCCEEDED.outputJson,
        metadataJson: '{"deal":0}',
      });
      // A run not yet finished keeps its input for the executor.
      const [claimed] = await w.claim('worker-b', T0 + 9_500, 10);
      expect(claimed?.id).toBe(queued.id);
      // The prepared input, and not the input as sent, which the executor does not need then.
      expect(claimed!.preparedJson).toBe('{"prepared":true}');
      expect(claimed!.inputJson).toBeNull();
      // Later, the run that finished after the first cut-off goes too (the queued one is running).
      expect((await store.retentionPurgeExpired(pass({ inputsCompletedBefore: T0 + 9_001 }))).inputs).toBe(1);
    });

    it('deletes webhook attempts started before the cut-off, keeping the deliveries', async () => {
      const endpoint: WebhookEndpointRecord = {
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
      };
      await store.webhookEndpointInsert(endpoint, MAX_ENDPOINTS);
      const ping = await store.deliveryInsertPing({
        deliveryId: `dlv_${w.ids.ulid()}`,
        eventId: w.eventId(),
        endpoint,
        now: T0,
      });
      for (const [n, at] of [
        [1, T0],
        [2, T0 + 8_000],
      ] as const) {
        await store.deliveryClaimDue({ ...UNCAPPED, owner: 'd1', limit: 1, now: at, leaseMs: 1_000 });
        await store.deliveryRecordAttempt(
          {
            deliveryId: ping.id,
            owner: 'd1',
            attempt: {
              deliveryId: ping.id,
              attempt: n,
              startedAt: at,
              statusCode: 500,
              latencyMs: 5,
              responseSnippet: null,
              error: 'HTTP 500',
            },
            outcome: 'retry',
            nextAttemptAt: at + 1,
            disableEndpoint: null,
          },
          at,
        );
      }
      expect((await store.retentionPurgeExpired(pass({ attemptsStartedBefore: T0 + 5_000 }))).attempts).toBe(
        1,
      );
      expect((await store.deliveryAttemptList([ping.id])).map((a) => a.attempt)).toEqual([2]);
      expect((await store.deliveryGet(live(w.acme), ping.id))?.attempts).toBe(2);
    });
  });
});
