import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const DAY = 24 * 3_600_000;
const clock = { offset: 0, now: () => Date.now() + clock.offset };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { inputRetentionDays: 7, attemptRetentionDays: 30 }, clock });
});
afterAll(async () => t?.close());

describe('retention', () => {
  it('purges inputs of runs finished more than SEMARIZE_INPUT_RETENTION_DAYS ago; the run stays readable', async () => {
    const created = await t.api('/v1/runs', {
      headers: { 'idempotency-key': 'retention-1' },
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: { transcript: 'Rep: Shall we meet Tuesday?\nProspect: Yes.', metadata: { deal: 'D-9' } },
      },
    });
    expect(created.status).toBe(200);
    const before = (await t.api(`/v1/runs/${created.body['run_id']}`)).body;

    // Six days on: nothing is due yet.
    clock.offset += 6 * DAY;
    expect(await t.server.retention!.runOnce()).toEqual({ idempotencyKeys: 1, inputs: 0, attempts: 0 });
    // Eight days on: the input goes; the key expired after 24 h and went in the pass above.
    clock.offset += 2 * DAY;
    expect(await t.server.retention!.runOnce()).toEqual({ idempotencyKeys: 0, inputs: 1, attempts: 0 });
    expect(await t.server.retention!.runOnce()).toEqual({ idempotencyKeys: 0, inputs: 0, attempts: 0 });

    const after = await t.api(`/v1/runs/${created.body['run_id']}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    expect(after.body['metadata']).toEqual({ deal: 'D-9' });
    // The key was forgotten: the same key now makes a new run.
    const again = await t.api('/v1/runs', {
      headers: { 'idempotency-key': 'retention-1' },
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hello?' } },
    });
    expect(again.status).toBe(202);
    expect(again.body['run_id']).not.toBe(created.body['run_id']);
  });
});
