import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
// One run at a time, so a second run stays queued while the first sleeps.
beforeAll(async () => {
  t = await startTestServer({ config: { workerConcurrency: 1 } });
});
afterAll(async () => t?.close());

const slow = (ms: number) => ({ kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: ms } });

async function statusOf(runId: string) {
  return (await t.api(`/v1/runs/${runId}`)).body['status'];
}

describe('POST /v1/runs/{id}/cancel', () => {
  it('cancels a running run at once and aborts its in-flight work; a queued run is cancelled before it starts', async () => {
    const running = await t.api('/v1/runs', { body: slow(60_000) });
    const runningId = running.body['run_id'] as string;
    await waitFor(async () => (await statusOf(runningId)) === 'running', 10_000, 'run to start');
    const queued = await t.api('/v1/runs', { body: slow(60_000) });
    const queuedId = queued.body['run_id'] as string;
    expect(await statusOf(queuedId)).toBe('queued');

    const cancelQueued = await t.api(`/v1/runs/${queuedId}/cancel`, { method: 'POST' });
    expect(cancelQueued.status).toBe(200);
    expect(cancelQueued.body).toMatchObject({
      status: 'cancelled',
      error_code: 'cancelled',
      error_message: expect.any(String),
      error_user_message: expect.any(String),
      started_at: null,
      attempt: 0,
    });

    const cancelRunning = await t.api(`/v1/runs/${runningId}/cancel`, { method: 'POST' });
    expect(cancelRunning.status).toBe(200);
    expect(cancelRunning.body).toMatchObject({ status: 'cancelled', error_code: 'cancelled', attempt: 1 });

    // The only worker slot was held by the 60 s sleep: a new quick run finishing proves it was aborted.
    const next = await t.api('/v1/runs', { body: slow(10), headers: { prefer: 'wait=20' } });
    expect(next.status).toBe(200);
    expect(next.body['status']).toBe('succeeded');
    // Terminal is final: the aborted execution did not overwrite the cancellation.
    expect(await statusOf(runningId)).toBe('cancelled');
    expect((await t.server.store.runEventList(runningId)).map((e) => e.type)).toEqual(['run.cancelled']);
    expect((await t.server.store.runEventList(queuedId)).map((e) => e.type)).toEqual(['run.cancelled']);
  });

  it('cancelling a cancelled run returns it again with 200', async () => {
    const run = await t.api('/v1/runs', { body: slow(60_000) });
    const runId = run.body['run_id'] as string;
    const first = await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST' });
    const second = await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await t.server.store.runEventList(runId)).length).toBe(1);
  });

  it('409 run_not_cancellable for succeeded and failed runs, which stay as they were', async () => {
    const done = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    expect(done.body['status']).toBe('succeeded');
    const res = await t.api(`/v1/runs/${done.body['run_id']}/cancel`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(res.body['error']).toBe('run_not_cancellable');
    expect(await statusOf(done.body['run_id'] as string)).toBe('succeeded');
    const failed = await t.api('/v1/runs', {
      body: { kit_code: 'FA000001', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    const res2 = await t.api(`/v1/runs/${failed.body['run_id']}/cancel`, { method: 'POST' });
    expect(res2.status).toBe(409);
  });

  it('404 run_not_found for an unknown run', async () => {
    const res = await t.api('/v1/runs/run_01JAAAAAAAAAAAAAAAAAAAAAAA/cancel', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.body['error']).toBe('run_not_found');
  });

  it('a sync waiter on a run that gets cancelled answers 200 with the cancelled run at once', async () => {
    const waiting = t.api('/v1/runs', {
      body: slow(60_000),
      headers: { prefer: 'wait=30', 'idempotency-key': 'cancel-while-waiting' },
    });
    const created = await waitFor(async () => {
      const list = await t.api<{ data: Record<string, unknown>[] }>('/v1/runs?limit=1');
      const latest = list.body.data[0];
      // Only the new run is queued or running (the one before it failed): wait until it is listed.
      return latest && (latest['status'] === 'queued' || latest['status'] === 'running') ? latest : null;
    });
    await t.api(`/v1/runs/${created['run_id']}/cancel`, { method: 'POST' });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('cancelled');
  });
});
