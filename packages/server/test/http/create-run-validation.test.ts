import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { maxBodyBytes: 64 * 1024 } });
});
afterAll(async () => t?.close());

const INPUT = { transcript: 'Rep: What drove the urgency?\nProspect: We lose hours every week.' };

async function runCount(): Promise<number> {
  const all = await t.api<{ data: unknown[] }>('/v1/runs?limit=100&run_type=api');
  const sandbox = await t.api<{ data: unknown[] }>('/v1/runs?limit=100&run_type=sandbox');
  return all.body.data.length + sandbox.body.data.length;
}

/** Every rejection leaves the store as it was: no run, and the same Idempotency-Key stays usable. */
async function expectRejected(
  request: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  status: number,
  code: string,
) {
  const before = await runCount();
  const res = await t.api('/v1/runs', {
    method: 'POST',
    ...request,
    headers: { 'idempotency-key': `rejected-${code}`, ...request.headers },
  });
  expect(res.status, res.text).toBe(status);
  expect(res.body['error']).toBe(code);
  expect(typeof res.body['message']).toBe('string');
  expect(await runCount()).toBe(before);
  return res;
}

describe('POST /v1/runs rejects bad requests with the catalog code and stores nothing', () => {
  it('400 invalid_json: not JSON, not an object, empty', async () => {
    await expectRejected(
      { rawBody: '{"kit_code":', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    );
    await expectRejected(
      { rawBody: '[1,2]', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    );
    await expectRejected(
      { rawBody: '"text"', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    );
    await expectRejected(
      { rawBody: '', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    );
  });

  it('400 invalid_request for a body nested deeper than 64 levels, which stores nothing', async () => {
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    await expectRejected(
      {
        rawBody: `{"kit_code":"A1B2C3D4","input":{"transcript":"Rep: Hi.","extra":${deep}}}`,
        headers: { 'content-type': 'application/json' },
      },
      400,
      'invalid_request',
    );
    const ok = `${'['.repeat(60)}${']'.repeat(60)}`;
    const accepted = await t.api('/v1/runs', {
      rawBody: `{"kit_code":"A1B2C3D4","type":"sandbox","input":{"transcript":"Rep: Hi.","extra":${ok}}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(accepted.status).toBe(202);
  });

  it('400 kit_code_or_kit_version_id_required', async () => {
    await expectRejected({ body: { input: INPUT } }, 400, 'kit_code_or_kit_version_id_required');
  });

  it('400 input_must_be_object: missing, string, array, null', async () => {
    for (const input of [undefined, 'transcript', [1], null]) {
      await expectRejected({ body: { kit_code: 'A1B2C3D4', input } }, 400, 'input_must_be_object');
    }
  });

  it('400 invalid_run_type and invalid_run_mode', async () => {
    await expectRejected(
      { body: { kit_code: 'A1B2C3D4', input: INPUT, type: 'live' } },
      400,
      'invalid_run_type',
    );
    await expectRejected(
      { body: { kit_code: 'A1B2C3D4', input: INPUT, mode: 'batch' } },
      400,
      'invalid_run_mode',
    );
  });

  it('400 invalid_idempotency_key: empty, too long, non-printable', async () => {
    const body = { kit_code: 'A1B2C3D4', input: INPUT };
    for (const key of ['', 'k'.repeat(255), 'tab\there']) {
      await expectRejected({ body, headers: { 'idempotency-key': key } }, 400, 'invalid_idempotency_key');
    }
    // 254 characters is the documented maximum and is accepted.
    const ok = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'k'.repeat(254) } });
    expect(ok.status).toBe(202);
  });

  it('400 invalid_request naming the fields: unknown fields, wrong types', async () => {
    const res = await expectRejected(
      { body: { kit_code: 'A1B2C3D4', input: INPUT, kit_cod: 'x' } },
      400,
      'invalid_request',
    );
    expect(JSON.stringify(res.body['detail'])).toContain('kit_cod');
    const wrongType = await expectRejected({ body: { kit_code: 42, input: INPUT } }, 400, 'invalid_request');
    expect((wrongType.body['detail'] as { fields: { field: string }[] }).fields[0]!.field).toBe('kit_code');
    const badUuid = await expectRejected(
      { body: { kit_version_id: 'not-a-uuid', input: INPUT } },
      400,
      'invalid_request',
    );
    expect(JSON.stringify(badUuid.body['detail'])).toContain('kit_version_id');
  });

  it("404 kit_not_found: unknown code, unknown version, another workspace's Kit", async () => {
    await expectRejected({ body: { kit_code: 'ZZZZZZZZ', input: INPUT } }, 404, 'kit_not_found');
    await expectRejected(
      { body: { kit_version_id: '00000000-0000-4000-8000-000000000000', input: INPUT } },
      404,
      'kit_not_found',
    );
    // SW000001 is a Kit of the default workspace only.
    const other = await t.api('/v1/runs', {
      key: t.otherWorkspaceKey,
      body: { kit_code: 'SW000001', input: INPUT },
    });
    expect(other.status).toBe(404);
    expect(other.body['error']).toBe('kit_not_found');
    const otherPinned = await t.api('/v1/runs', {
      key: t.otherWorkspaceKey,
      body: { kit_version_id: t.starterKitVersionId, input: INPUT },
    });
    expect(otherPinned.status).toBe(404);
  });

  it('413 payload_too_large over the configured body limit', async () => {
    const big = { kit_code: 'A1B2C3D4', input: { transcript: `Rep: ${'word '.repeat(20_000)}` } };
    await expectRejected({ body: big }, 413, 'payload_too_large');
  });

  it('415 unsupported_media_type for a body that is not application/json', async () => {
    await expectRejected(
      {
        rawBody: JSON.stringify({ kit_code: 'A1B2C3D4', input: INPUT }),
        headers: { 'content-type': 'text/plain' },
      },
      415,
      'unsupported_media_type',
    );
    await expectRejected(
      { rawBody: 'kit_code=A1B2C3D4', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported_media_type',
    );
  });

  it('422 kit_not_published for a Kit code with only a draft; the draft runs by kit_version_id', async () => {
    await expectRejected({ body: { kit_code: 'DR000001', input: INPUT } }, 422, 'kit_not_published');
    const pinned = await t.api('/v1/runs', { body: { kit_version_id: t.draftKitVersionId, input: INPUT } });
    expect(pinned.status).toBe(202);
    expect(pinned.body['kit_code']).toBe('DR000001');
  });

  it('422 input_invalid with a reason when the input has no conversation to evaluate', async () => {
    const none = await expectRejected(
      { body: { kit_code: 'A1B2C3D4', input: { account_id: 'a1' } } },
      422,
      'input_invalid',
    );
    expect(none.body['detail']).toMatchObject({ reason: expect.any(String) });
    await expectRejected(
      { body: { kit_code: 'A1B2C3D4', input: { transcript: '   \n ' } } },
      422,
      'input_invalid',
    );
    await expectRejected({ body: { kit_code: 'A1B2C3D4', input: { transcript: 42 } } }, 422, 'input_invalid');
    await expectRejected({ body: { kit_code: 'A1B2C3D4', input: { messages: 'hi' } } }, 422, 'input_invalid');
  });

  it('accepts a lowercase kit_code and answers with the canonical one', async () => {
    const res = await t.api('/v1/runs', { body: { kit_code: 'a1b2c3d4', input: INPUT } });
    expect(res.status).toBe(202);
    expect(res.body['kit_code']).toBe('A1B2C3D4');
  });

  it('a key rejected with 4xx can be used again for a valid request', async () => {
    const key = 'retry-after-validation';
    const bad = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4' },
      headers: { 'idempotency-key': key },
    });
    expect(bad.status).toBe(400);
    const good = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: INPUT },
      headers: { 'idempotency-key': key },
    });
    expect(good.status).toBe(202);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('GET /v1/runs query validation', () => {
  it('400 invalid_request for out-of-range limit, unknown filter values and bad cursors', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'status=done',
      'run_type=live',
      'created_after=yesterday',
      'cursor=abc',
      'foo=bar',
    ]) {
      const res = await t.api(`/v1/runs?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body['error'], query).toBe('invalid_request');
    }
  });

  it('404 run_not_found for an unknown or malformed run id', async () => {
    for (const id of ['run_01JAAAAAAAAAAAAAAAAAAAAAAA', 'nope']) {
      const res = await t.api(`/v1/runs/${id}`);
      expect(res.status).toBe(404);
      expect(res.body['error']).toBe('run_not_found');
    }
  });
});
