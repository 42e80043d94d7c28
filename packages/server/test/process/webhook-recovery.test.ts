import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/child-server.ts';
import { createClient, waitFor } from '../support/http-client.ts';
import { seededDataDir } from '../support/seed.ts';
import { handCheck, standardCheck } from '../support/webhook-checks.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const dirs: string[] = [];
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('webhook delivery across a crash', () => {
  it('a server SIGKILLed after runs finished but before their events were delivered delivers them after restart', async () => {
    const { dataDir, liveKey } = await seededDataDir('semarize-webhook-crash-');
    dirs.push(dataDir);
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const env = { SEMARIZE_DATA_DIR: dataDir, SEMARIZE_ALLOW_PRIVATE_WEBHOOKS: '1' };

    // First life: the dispatcher sends nothing, so every event is still undelivered at the kill.
    const first = await spawnServer({ ...env, SEMARIZE_WEBHOOK_CONCURRENCY: '0' });
    const api = createClient(first.url, liveKey);
    const endpoint = await api('/v1/webhooks', { body: { url: receiver.url } });
    expect(endpoint.status).toBe(201);
    const secret = endpoint.body['secret'] as string;
    const runIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await api('/v1/runs', {
        body: {
          kit_code: 'A1B2C3D4',
          mode: 'sync',
          input: { transcript: `Rep: Call ${i}?\nProspect: Yes.` },
        },
      });
      expect(run.status).toBe(200);
      expect(run.body['status']).toBe('succeeded');
      runIds.push(run.body['run_id'] as string);
    }
    const pending = await api<{ data: Record<string, unknown>[] }>(
      `/v1/webhooks/${endpoint.body['id']}/deliveries?limit=100`,
    );
    expect(pending.body.data.map((d) => d['status'])).toEqual(Array(5).fill('pending'));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(receiver.received).toEqual([]);

    const second = await spawnServer(env);
    try {
      await waitFor(async () => (receiver.received.length >= 5 ? true : null), 30_000, 'five deliveries');
      const delivered = receiver.received.map(
        (d) => JSON.parse(d.body) as { id: string; data: { run_id: string } },
      );
      expect(delivered.map((e) => e.data.run_id).sort()).toEqual([...runIds].sort());
      // The ids written before the crash are the ones sent after it.
      const before = new Map(pending.body.data.map((d) => [d['run_id'], d]));
      for (const d of receiver.received) {
        const event = JSON.parse(d.body) as { id: string; data: { run_id: string } };
        expect(d.headers['semarize-delivery-id']).toBe(before.get(event.data.run_id)!['id']);
        expect(d.headers['semarize-event-id']).toBe(before.get(event.data.run_id)!['event_id']);
        expect(handCheck(String(d.headers['semarize-signature']), secret, d.body)).toBe(true);
        expect(standardCheck(d.body, d.headers, secret)).toBe(true);
      }
      const api2 = createClient(second.url, liveKey);
      await waitFor(async () => {
        const log = await api2<{ data: Record<string, unknown>[] }>(
          `/v1/webhooks/${endpoint.body['id']}/deliveries?limit=100`,
        );
        return log.body.data.every((d) => d['status'] === 'succeeded') ? true : null;
      });
      expect(receiver.received).toHaveLength(5);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
