import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

const body = (transcript = 'Rep: Is pricing clear?\nProspect: Yes.') => ({
  kit_code: 'A1B2C3D4',
  input: { transcript },
});

describe('Idempotency-Key', () => {
  it('100 concurrent identical POSTs coalesce into one run: every response has the same run_id', async () => {
    const key = 'crm-sync:deal_123:call_456:kit_A1B2C3D4';
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.api('/v1/runs', { body: body(), headers: { 'idempotency-key': key } }),
      ),
    );
    const statuses = new Set(responses.map((r) => r.status));
    expect([...statuses]).toEqual([202]);
    const runIds = new Set(responses.map((r) => r.body['run_id']));
    expect(runIds.size).toBe(1);
    const replayed = responses.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    expect(replayed.length).toBe(99);
    const list = await t.api<{ data: { run_id: string }[] }>('/v1/runs?limit=100');
    expect(list.body.data.filter((r) => r.run_id === [...runIds][0]).length).toBe(1);
    expect(list.body.data.length).toBe(1);
  });

  it('replays return the current state of the original run', async () => {
    const key = 'replay-current-state';
    const first = await t.api('/v1/runs', { body: body('Rep: One?'), headers: { 'idempotency-key': key } });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const replay = await t.api('/v1/runs', {
      body: { ...body('Rep: One?'), mode: 'sync' },
      headers: { 'idempotency-key': key },
    });
    // mode is not part of the fingerprint: a sync replay waits on the same run like any sync request.
    expect(replay.status).toBe(200);
    expect(replay.body['run_id']).toBe(first.body['run_id']);
    expect(replay.body['status']).toBe('succeeded');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('409 idempotency_key_conflict naming the differing fields when the key is reused for another request', async () => {
    const key = 'conflict-key';
    const first = await t.api('/v1/runs', { body: body('Rep: First?'), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    const otherInput = await t.api('/v1/runs', {
      body: body('Rep: Second?'),
      headers: { 'idempotency-key': key },
    });
    expect(otherInput.status).toBe(409);
    expect(otherInput.body['error']).toBe('idempotency_key_conflict');
    expect(otherInput.body['detail']).toMatchObject({ fields: ['input'], run_id: first.body['run_id'] });
    const otherType = await t.api('/v1/runs', {
      body: { ...body('Rep: First?'), type: 'sandbox' },
      headers: { 'idempotency-key': key },
    });
    expect(otherType.status).toBe(409);
    expect((otherType.body['detail'] as { fields: string[] }).fields).toEqual(['type']);
    const otherKit = await t.api('/v1/runs', {
      body: { kit_version_id: t.starterKitVersionId, input: { transcript: 'Rep: First?' } },
      headers: { 'idempotency-key': key },
    });
    expect(otherKit.status).toBe(409);
    expect((otherKit.body['detail'] as { fields: string[] }).fields).toEqual(['kit_code', 'kit_version_id']);
    // Several fields: named in one order (sorted), as when the store catches the conflict in a race.
    const otherAll = await t.api('/v1/runs', {
      body: { kit_version_id: t.starterKitVersionId, input: { transcript: 'Rep: Third?' } },
      headers: { 'idempotency-key': key },
    });
    expect((otherAll.body['detail'] as { fields: string[] }).fields).toEqual([
      'input',
      'kit_code',
      'kit_version_id',
    ]);
  });

  it('the fingerprint ignores key order inside input', async () => {
    const key = 'key-order';
    const a = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'A: x', account_id: 'a', stage: 'demo' } },
      headers: { 'idempotency-key': key },
    });
    const b = await t.api('/v1/runs', {
      body: { input: { stage: 'demo', account_id: 'a', transcript: 'A: x' }, kit_code: 'A1B2C3D4' },
      headers: { 'idempotency-key': key },
    });
    expect(b.status).toBe(202);
    expect(b.body['run_id']).toBe(a.body['run_id']);
  });

  it('keys are scoped to the workspace: the same key and body elsewhere is its own run', async () => {
    const key = 'shared-key-across-workspaces';
    const mine = await t.api('/v1/runs', { body: body(), headers: { 'idempotency-key': key } });
    expect(mine.status).toBe(202);
    // The other workspace has its own A1B2C3D4: a run of its own, not a replay of ours.
    const theirs = await t.api('/v1/runs', {
      key: t.otherWorkspaceKey,
      body: body(),
      headers: { 'idempotency-key': key },
    });
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body['run_id']).not.toBe(mine.body['run_id']);
  });

  it('keys are scoped to the mode: a test key never replays, conflicts with or blocks a live key', async () => {
    const key = 'shared-key-across-modes';
    const live = await t.api('/v1/runs', {
      body: body('Rep: Live call?'),
      headers: { 'idempotency-key': key },
    });
    expect(live.status).toBe(202);
    // A different request with the same key from a test key: no 409 revealing the live run…
    const test = await t.api('/v1/runs', {
      key: t.testKey,
      body: body('Rep: Another call?'),
      headers: { 'idempotency-key': key },
    });
    expect(test.status, test.text).toBe(202);
    expect(test.body['run_type']).toBe('sandbox');
    expect(JSON.stringify(test.body)).not.toContain(String(live.body['run_id']));
    // …and the live key's retry still replays its own run.
    const retry = await t.api('/v1/runs', {
      body: body('Rep: Live call?'),
      headers: { 'idempotency-key': key },
    });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body['run_id']).toBe(live.body['run_id']);
    // A test key first does not block a live key for the key's lifetime either.
    const first = await t.api('/v1/runs', {
      key: t.testKey,
      body: body('Rep: Sandbox first?'),
      headers: { 'idempotency-key': 'test-first' },
    });
    const then = await t.api('/v1/runs', {
      body: body('Rep: Live later?'),
      headers: { 'idempotency-key': 'test-first' },
    });
    expect(then.status, then.text).toBe(202);
    expect(then.body['run_type']).toBe('api');
    expect(then.body['run_id']).not.toBe(first.body['run_id']);
  });

  it('accepts a Structured Fields quoted key as the same key', async () => {
    const plain = await t.api('/v1/runs', {
      body: body('Rep: Quoted?'),
      headers: { 'idempotency-key': 'quoted-1' },
    });
    const quoted = await t.api('/v1/runs', {
      body: body('Rep: Quoted?'),
      headers: { 'idempotency-key': '"quoted-1"' },
    });
    expect(quoted.body['run_id']).toBe(plain.body['run_id']);
  });
});
