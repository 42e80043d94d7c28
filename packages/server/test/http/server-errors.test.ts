import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

const dbPath = () => join(t.dataDir, 'semarize.db');
const body = { kit_code: 'A1B2C3D4', input: { transcript: 'A: hi' } };

describe('server-side failures', () => {
  it('503 unavailable with Retry-After (never 500) while storage is locked by another process, then recovers', async () => {
    const other = new DatabaseSync(dbPath());
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'during-lock' } });
      expect(res.status).toBe(503);
      expect(res.body['error']).toBe('unavailable');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body['retry_after_seconds']).toBe(Number(res.headers.get('retry-after')));
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The same key is usable afterwards: the failed attempt stored nothing.
    const retry = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'during-lock' } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('500 run_request_failed for an unexpected error while accepting, without internals, storing nothing', async () => {
    const body = { kit_code: 'SW000001', input: { transcript: 'A: hi' } };
    const headers = { 'idempotency-key': 'corrupted-later' };
    expect((await t.api('/v1/runs', { body, headers })).status).toBe(202);
    // A stored idempotency record that no longer parses: the replay check fails unexpectedly.
    const other = new DatabaseSync(dbPath());
    other.exec("UPDATE idempotency_keys SET field_hashes = 'not json' WHERE key = 'corrupted-later'");
    other.close();
    const before = await t.api<{ data: unknown[] }>('/v1/runs?limit=100');
    const res = await t.api('/v1/runs', { body: { ...body, input: { transcript: 'A: other' } }, headers });
    expect(res.status).toBe(500);
    expect(res.body['error']).toBe('run_request_failed');
    expect(res.body['request_id']).toBe(res.headers.get('x-request-id'));
    expect(res.text).not.toContain('JSON');
    expect(res.text).not.toMatch(/\.ts:\d+/);
    const after = await t.api<{ data: unknown[] }>('/v1/runs?limit=100');
    expect(after.body.data.length).toBe(before.body.data.length);
  });
});
