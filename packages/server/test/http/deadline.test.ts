import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { runTimeoutMs: 300 } });
});
afterAll(async () => t?.close());

describe('per-run deadline', () => {
  it('a run that outlives SEMARIZE_RUN_TIMEOUT_MS fails with execution_timeout and its work is aborted', async () => {
    const res = await t.api('/v1/runs', {
      body: { kit_code: 'SW000001', mode: 'sync', input: { transcript: 'A: hi', sleep_ms: 30_000 } },
      headers: { prefer: 'wait=20' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      error_code: 'execution_timeout',
      error_message: expect.any(String),
      error_user_message: expect.any(String),
    });
    expect(res.body['duration_ms'] as number).toBeLessThan(20_000);
    const quick = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    expect(quick.body['status']).toBe('succeeded');
  });
});
