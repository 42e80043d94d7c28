/**
 * test/http/server-errors.test.ts reaches into the SQLite file; these are the same promises on
 * PostgreSQL: a blocked statement answers 503 `unavailable` (not a hung request, never 500) and
 * stores nothing, and a genuinely unexpected error answers 500 without internals.
 */

import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/postgres-schema.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const body = { kit_code: 'A1B2C3D4', input: { transcript: 'A: hi' } };

describe.skipIf(!TEST_DATABASE_URL)('server-side failures on PostgreSQL', () => {
  let t: TestServer;
  beforeAll(async () => {
    // A short statement timeout, so a statement stuck behind a lock gives up quickly.
    t = await startTestServer({ postgres: true, config: { dbStatementTimeoutMs: 300 } });
  });
  afterAll(async () => t?.close());

  it('503 unavailable with Retry-After while a table is locked past the statement timeout; the key stays usable', async () => {
    const locker = new Client({ connectionString: t.schema!.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE');
      const res = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'during-lock' } });
      expect(res.status).toBe(503);
      expect(res.body['error']).toBe('unavailable');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body['retry_after_seconds']).toBe(Number(res.headers.get('retry-after')));
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const retry = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'during-lock' } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('500 run_request_failed for an unexpected error while accepting, without internals, storing nothing', async () => {
    const body = { kit_code: 'SW000001', input: { transcript: 'A: hi' } };
    const headers = { 'idempotency-key': 'corrupted-later' };
    expect((await t.api('/v1/runs', { body, headers })).status).toBe(202);
    // A stored idempotency record that no longer parses: the replay check fails unexpectedly.
    const admin = new Client({ connectionString: t.schema!.url });
    await admin.connect();
    await admin.query("UPDATE idempotency_keys SET field_hashes = 'not json' WHERE key = 'corrupted-later'");
    await admin.end();
    const before = await t.api<{ data: unknown[] }>('/v1/runs?limit=100');
    const res = await t.api('/v1/runs', { body: { ...body, input: { transcript: 'A: other' } }, headers });
    expect(res.status).toBe(500);
    expect(res.body['error']).toBe('run_request_failed');
    expect(res.text).not.toContain('JSON');
    expect(res.text).not.toMatch(/\.ts:\d+/);
    const after = await t.api<{ data: unknown[] }>('/v1/runs?limit=100');
    expect(after.body.data.length).toBe(before.body.data.length);
  });
});
