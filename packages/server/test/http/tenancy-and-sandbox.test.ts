import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

const TRANSCRIPT =
  'Rep: Do you use Gong today?\nProspect: No, we do not use Gong. We might try a demo next week.';

describe('workspace isolation', () => {
  it("a key of workspace B gets 404 for workspace A's run, cannot cancel it, and does not list it", async () => {
    const created = await t.api('/v1/runs', {
      body: { kit_code: 'SW000001', input: { transcript: 'A: hi', sleep_ms: 60_000 } },
    });
    const runId = created.body['run_id'] as string;
    const get = await t.api(`/v1/runs/${runId}`, { key: t.otherWorkspaceKey });
    expect(get.status).toBe(404);
    expect(get.body['error']).toBe('run_not_found');
    const cancel = await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST', key: t.otherWorkspaceKey });
    expect(cancel.status).toBe(404);
    expect(cancel.body['error']).toBe('run_not_found');
    expect(['queued', 'running']).toContain((await t.api(`/v1/runs/${runId}`)).body['status']);
    const list = await t.api<{ data: unknown[] }>('/v1/runs?limit=100', { key: t.otherWorkspaceKey });
    expect(list.body.data).toEqual([]);
    await t.api(`/v1/runs/${runId}/cancel`, { method: 'POST' });
  });
});

describe('sandbox runs and test keys', () => {
  type Run = Record<string, unknown> & { output: { bricks: Record<string, Record<string, unknown>> } };

  it('type sandbox gives schema-valid placeholder output, deterministic from the input', async () => {
    const body = { kit_code: 'A1B2C3D4', type: 'sandbox', mode: 'sync', input: { transcript: TRANSCRIPT } };
    const a = await t.api<Run>('/v1/runs', { body });
    const b = await t.api<Run>('/v1/runs', { body });
    expect(a.status).toBe(200);
    expect(a.body['run_type']).toBe('sandbox');
    expect(a.body['status']).toBe('succeeded');
    expect(a.body['run_id']).not.toBe(b.body['run_id']);
    expect(b.body.output.bricks).toEqual(a.body.output.bricks);
    const bricks = a.body.output.bricks;
    expect(typeof bricks['talk_ratio']!['value']).toBe('number');
    expect(typeof bricks['next_step_mentioned']!['value']).toBe('boolean');
    expect(Array.isArray(bricks['competitors_mentioned']!['value'])).toBe(true);
    for (const result of Object.values(bricks)) {
      expect(result['reason']).toMatch(/^Sandbox run/);
      for (const quote of result['evidence'] as string[]) expect(TRANSCRIPT).toContain(quote);
    }
    expect(a.body['usage']).toEqual({ input_tokens: 0, output_tokens: 0, model_calls: 0 });
  });

  it('a test key always makes sandbox runs and sees only sandbox runs', async () => {
    const live = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(live.body['run_type']).toBe('api');
    const viaTestKey = await t.api<Run>('/v1/runs', {
      key: t.testKey,
      body: { kit_code: 'A1B2C3D4', type: 'api', mode: 'sync', input: { transcript: TRANSCRIPT } },
    });
    expect(viaTestKey.status).toBe(200);
    expect(viaTestKey.body['run_type']).toBe('sandbox');
    expect(viaTestKey.body.output.bricks['talk_ratio']!['reason']).toMatch(/^Sandbox run/);

    const hidden = await t.api(`/v1/runs/${live.body['run_id']}`, { key: t.testKey });
    expect(hidden.status).toBe(404);
    const cancel = await t.api(`/v1/runs/${live.body['run_id']}/cancel`, { key: t.testKey, method: 'POST' });
    expect(cancel.status).toBe(404);
    const list = await t.api<{ data: Record<string, unknown>[] }>('/v1/runs?limit=100', { key: t.testKey });
    expect(list.body.data.length).toBeGreaterThan(0);
    expect(list.body.data.every((r) => r['run_type'] === 'sandbox')).toBe(true);
    const asked = await t.api<{ data: unknown[] }>('/v1/runs?run_type=api', { key: t.testKey });
    expect(asked.body.data).toEqual([]);
    // A live key reads the sandbox run by id, and lists sandbox runs only when it asks for them.
    expect((await t.api(`/v1/runs/${viaTestKey.body['run_id']}`)).status).toBe(200);
    const liveList = await t.api<{ data: Record<string, unknown>[] }>('/v1/runs?limit=100');
    expect(liveList.body.data.every((r) => r['run_type'] === 'api')).toBe(true);
  });

  it('sandbox runs of failing Kits still succeed with placeholders: no engine is called', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'FA000001', type: 'sandbox', mode: 'sync', input: { transcript: 'A: hi' } },
    });
    expect(res.body['status']).toBe('succeeded');
    expect(typeof res.body.output.bricks['failing_check']!['value']).toBe('boolean');
  });
});
