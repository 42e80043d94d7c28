import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitOutputSchema } from '../../src/kits/output-schema.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

type Bricks = Record<string, Record<string, unknown>>;
interface TestResult {
  object: string;
  kit_code: string;
  kit_version_id: string;
  output: { kit_code: string; kit_version_id: string; bricks: Bricks };
}

const TRANSCRIPT =
  'Rep: Do you use Gong today?\nProspect: No. What would the price be per seat?\nRep: Let me send over a proposal.';
const INPUT = { transcript: TRANSCRIPT, account_id: 'acct_42' };

/** Every run of the workspace that any key could list: POST /v1/test must never add one. */
async function allRunIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const runType of ['api', 'sandbox']) {
    const page = await t.api<{ data: { run_id: string }[] }>(`/v1/runs?limit=100&run_type=${runType}`);
    ids.push(...page.body.data.map((r) => r.run_id));
  }
  return ids.sort();
}

/** The output must satisfy the schema derived from the Kit version's own Brick definitions. */
async function expectSchemaValid(result: TestResult) {
  const version = await t.server.store.kitVersionGetUnscoped(result.kit_version_id);
  expect(version).not.toBeNull();
  const parsed = kitOutputSchema(version!.bricks).safeParse(result.output.bricks);
  expect(parsed.error).toBeUndefined();
  expect(Object.keys(result.output.bricks)).toEqual(version!.bricks.map((b) => b.key));
}

describe('POST /v1/test', () => {
  it('answers schema-valid placeholder output for the published version, and stores no run', async () => {
    const before = await allRunIds();
    const res = await t.api<TestResult>('/v1/test', {
      key: t.runnerKey,
      body: { kit_code: 'a1b2c3d4', input: INPUT },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      object: 'test_result',
      kit_code: 'A1B2C3D4',
      kit_version_id: t.starterKitVersionId,
      output: { kit_code: 'A1B2C3D4', kit_version_id: t.starterKitVersionId },
    });
    await expectSchemaValid(res.body);
    for (const result of Object.values(res.body.output.bricks)) {
      expect(result['reason']).toMatch(/^Sandbox run/);
      for (const quote of result['evidence'] as string[]) expect(TRANSCRIPT).toContain(quote);
    }
    expect(res.headers.get('location')).toBeNull();
    expect(await allRunIds()).toEqual(before);
  });

  it('gives the same output as a sandbox run of the same request: deterministic from the input', async () => {
    const body = { kit_code: 'A1B2C3D4', input: INPUT };
    const first = await t.api<TestResult>('/v1/test', { body });
    const second = await t.api<TestResult>('/v1/test', { body: { ...body, mode: 'sync', type: 'api' } });
    expect(second.body).toEqual(first.body);
    const run = await t.api<{ status: string; output: TestResult['output'] }>('/v1/runs', {
      body: { ...body, type: 'sandbox', mode: 'sync' },
    });
    expect(run.body.status).toBe('succeeded');
    expect(first.body.output).toEqual(run.body.output);
    const other = await t.api<TestResult>('/v1/test', {
      body: { kit_code: 'A1B2C3D4', input: { ...INPUT, account_id: 'acct_43' } },
    });
    expect(other.body.output.bricks).not.toEqual(first.body.output.bricks);
  });

  it('reaches a draft by kit_version_id, which wins over kit_code', async () => {
    const res = await t.api<TestResult>('/v1/test', {
      body: { kit_code: 'A1B2C3D4', kit_version_id: t.draftKitVersionId, input: INPUT },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.kit_code).toBe('DR000001');
    expect(Object.keys(res.body.output.bricks)).toEqual(['draft_check']);
    await expectSchemaValid(res.body);
  });

  it('never calls an engine or a model: failing and llm Kits still get placeholders', async () => {
    const failing = await t.api<TestResult>('/v1/test', { body: { kit_code: 'FA000001', input: INPUT } });
    expect(failing.status).toBe(200);
    expect(typeof failing.body.output.bricks['failing_check']!['value']).toBe('boolean');

    // An llm Kit on a server whose model (if any) is never reached by this endpoint.
    const brick = await t.api('/v1/bricks', {
      body: {
        key: 'discovery_depth',
        name: 'Discovery depth',
        engine: 'llm',
        output: { type: 'category', options: ['shallow', 'adequate', 'deep'] },
        evidence: 'required',
      },
    });
    expect(brick.status, brick.text).toBe(201);
    const kit = await t.api<{ versions: { kit_version_id: string }[] }>('/v1/kits', {
      body: { name: 'Discovery', bricks: [{ key: 'discovery_depth' }] },
    });
    const versionId = kit.body.versions[0]!.kit_version_id;
    const res = await t.api<TestResult>('/v1/test', { body: { kit_version_id: versionId, input: INPUT } });
    expect(res.status, res.text).toBe(200);
    await expectSchemaValid(res.body);
    expect(['shallow', 'adequate', 'deep']).toContain(res.body.output.bricks['discovery_depth']!['value']);
    expect((res.body.output.bricks['discovery_depth']!['evidence'] as string[]).length).toBe(1);
  });

  it('a Brick that does not take the conversation source gets no value, as in a sandbox run', async () => {
    await t.api('/v1/bricks', {
      body: {
        key: 'calls_only',
        name: 'Calls only',
        engine: 'tracker',
        tracker: { phrases: ['demo'] },
        output: { type: 'boolean' },
        sources: ['call'],
      },
    });
    const kit = await t.api<{ versions: { kit_version_id: string }[] }>('/v1/kits', {
      body: { name: 'Calls only', bricks: [{ key: 'calls_only' }, { key: 'question_count' }] },
    });
    const body = {
      kit_version_id: kit.body.versions[0]!.kit_version_id,
      input: { messages: [{ from: 'ana@example.com', text: 'Can we book a demo?' }] },
    };
    const res = await t.api<TestResult>('/v1/test', { body });
    expect(res.status, res.text).toBe(200);
    await expectSchemaValid(res.body);
    expect(res.body.output.bricks['calls_only']).toMatchObject({
      value: null,
      reason: expect.stringMatching(/does not apply to chat/),
    });
    expect(res.body.output.bricks['question_count']!['reason']).toMatch(/^Sandbox run/);
    const run = await t.api<{ output: TestResult['output'] }>('/v1/runs', {
      body: { ...body, type: 'sandbox', mode: 'sync' },
    });
    expect(run.body.output).toEqual(res.body.output);
  });

  it('works with a test key too', async () => {
    const res = await t.api<TestResult>('/v1/test', {
      key: t.testKey,
      body: { kit_code: 'A1B2C3D4', input: INPUT },
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /v1/test validates exactly like POST /v1/runs, and stores nothing when it refuses', () => {
  const cases: [string, { body?: unknown; rawBody?: string }, number, string][] = [
    ['not JSON', { rawBody: '{"kit_code":' }, 400, 'invalid_json'],
    ['not an object', { rawBody: '[1]' }, 400, 'invalid_json'],
    ['no Kit', { body: { input: INPUT } }, 400, 'kit_code_or_kit_version_id_required'],
    ['no input', { body: { kit_code: 'A1B2C3D4' } }, 400, 'input_must_be_object'],
    ['input a string', { body: { kit_code: 'A1B2C3D4', input: 'hi' } }, 400, 'input_must_be_object'],
    ['bad type', { body: { kit_code: 'A1B2C3D4', input: INPUT, type: 'live' } }, 400, 'invalid_run_type'],
    ['bad mode', { body: { kit_code: 'A1B2C3D4', input: INPUT, mode: 'batch' } }, 400, 'invalid_run_mode'],
    ['unknown field', { body: { kit_code: 'A1B2C3D4', input: INPUT, kit_cod: 'x' } }, 400, 'invalid_request'],
    ['malformed version id', { body: { kit_version_id: 'v1', input: INPUT } }, 400, 'invalid_request'],
    ['unknown Kit', { body: { kit_code: 'ZZZZ9999', input: INPUT } }, 404, 'kit_not_found'],
    [
      'unknown version',
      { body: { kit_version_id: '00000000-0000-4000-8000-000000000000', input: INPUT } },
      404,
      'kit_not_found',
    ],
    ['only drafts', { body: { kit_code: 'DR000001', input: INPUT } }, 422, 'kit_not_published'],
    ['no conversation', { body: { kit_code: 'A1B2C3D4', input: { account_id: 'x' } } }, 422, 'input_invalid'],
    [
      'empty transcript',
      { body: { kit_code: 'A1B2C3D4', input: { transcript: '  ' } } },
      422,
      'input_invalid',
    ],
  ];

  it.each(cases)('%s → %i %s', async (_name, request, status, error) => {
    const before = await allRunIds();
    const res = await t.api('/v1/test', {
      method: 'POST',
      ...request,
      ...(request.rawBody !== undefined ? { headers: { 'content-type': 'application/json' } } : {}),
    });
    expect(res.status, res.text).toBe(status);
    expect(res.body['error']).toBe(error);
    // Same request, same answer from POST /v1/runs.
    const run = await t.api('/v1/runs', {
      method: 'POST',
      ...request,
      ...(request.rawBody !== undefined ? { headers: { 'content-type': 'application/json' } } : {}),
    });
    expect(run.status).toBe(status);
    expect(run.body['error']).toBe(error);
    expect(await allRunIds()).toEqual(before);
  });

  it('400 invalid_idempotency_key for a key POST /v1/runs would refuse; a good key is accepted and ignored', async () => {
    const body = { kit_code: 'A1B2C3D4', input: INPUT };
    const bad = await t.api('/v1/test', { body, headers: { 'idempotency-key': 'x'.repeat(255) } });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toBe('invalid_idempotency_key');
    const before = await allRunIds();
    const good = await t.api('/v1/test', { body, headers: { 'idempotency-key': 'dry-run-1' } });
    expect(good.status).toBe(200);
    // Nothing was recorded under the key: a real run may use it.
    const run = await t.api('/v1/runs', { body, headers: { 'idempotency-key': 'dry-run-1' } });
    expect(run.status).toBe(202);
    expect(run.headers.get('idempotent-replayed')).toBeNull();
    expect(await allRunIds()).toEqual([...before, run.body['run_id'] as string].sort());
  });

  it("another workspace's Kit is not found", async () => {
    const res = await t.api('/v1/test', {
      key: t.otherWorkspaceKey,
      body: { kit_version_id: t.starterKitVersionId, input: INPUT },
    });
    expect(res.status).toBe(404);
    expect(res.body['error']).toBe('kit_not_found');
  });

  it('needs a key and draws from the create rate-limit bucket', async () => {
    const anonymous = await t.api('/v1/test', { key: null, body: { kit_code: 'A1B2C3D4', input: INPUT } });
    expect(anonymous.status).toBe(401);
    const res = await t.api('/v1/test', { body: { kit_code: 'A1B2C3D4', input: INPUT } });
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"create"/);
  });
});
