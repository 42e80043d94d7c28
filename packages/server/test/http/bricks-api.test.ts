import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

type Brick = Record<string, unknown> & { versions: { version: number; name: string; created_at: string }[] };
type List = { object: string; data: Record<string, unknown>[]; has_more: boolean; next_cursor: null };

const pricing = {
  key: 'pricing_asked',
  name: 'Pricing asked',
  engine: 'tracker',
  tracker: { phrases: ['price', 'cost'] },
  output: { type: 'boolean' },
};
/** The same definition without its key, as a version body may send it. */
const { key: _key, ...pricingFields } = pricing;

async function brickKeys(key = t.liveKey): Promise<string[]> {
  const list = await t.api<List>('/v1/bricks', { key });
  return list.body.data.map((b) => b['key'] as string);
}

/** A rejected write answers the code, names the field, and leaves the Bricks as they were. */
async function expectRefused(
  path: string,
  body: unknown,
  expected: { status: number; error: string; field?: string },
) {
  const before = await t.api<List>('/v1/bricks');
  const res = await t.api(path, { body });
  expect(res.status, res.text).toBe(expected.status);
  expect(res.body['error']).toBe(expected.error);
  if (expected.field) {
    const fields = (res.body['detail'] as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(fields).toContain(expected.field);
  }
  expect((await t.api<List>('/v1/bricks')).body).toEqual(before.body);
  return res;
}

describe('POST /v1/bricks', () => {
  it('creates version 1 with the defaults filled in, readable at its Location and in the list', async () => {
    const res = await t.api<Brick>('/v1/bricks', { body: pricing });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe('/v1/bricks/pricing_asked');
    expect(res.body).toMatchObject({
      object: 'brick',
      key: 'pricing_asked',
      version: 1,
      name: 'Pricing asked',
      description: '',
      output: { type: 'boolean' },
      evidence: 'optional',
      confidence: 'required',
      sources: ['call', 'email', 'chat', 'note'],
      engine: 'tracker',
      tracker: { phrases: ['price', 'cost'], patterns: [], stem: true, negation: true, speakers: [] },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.versions).toEqual([
      { version: 1, name: 'Pricing asked', created_at: res.body['created_at'] },
    ]);

    const got = await t.api<Brick>('/v1/bricks/pricing_asked');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const list = await t.api<List>('/v1/bricks');
    expect(list.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    const { versions: _versions, ...item } = res.body;
    expect(list.body.data).toContainEqual(item);
  });

  it('lists the latest version of every Brick of the workspace, by key', async () => {
    const keys = await brickKeys();
    expect(keys).toEqual([...keys].sort());
    // Starter and test Bricks applied from files are Bricks like any other.
    expect(keys).toEqual(expect.arrayContaining(['talk_ratio', 'next_step_mentioned', 'draft_check']));
  });

  it('409 brick_already_exists for a key in use; the existing Brick is unchanged', async () => {
    const before = await t.api('/v1/bricks/talk_ratio');
    const res = await expectRefused(
      '/v1/bricks',
      { ...pricing, key: 'talk_ratio' },
      { status: 409, error: 'brick_already_exists' },
    );
    expect(res.body['message']).toContain('/v1/bricks/talk_ratio/versions');
    expect((await t.api('/v1/bricks/talk_ratio')).body).toEqual(before.body);
  });

  it('400 invalid_request naming the field for engine rules and bad definitions', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...pricing, key: 'bad_engine', engine: 'test_sleep' }, 'engine'],
      [{ ...pricing, key: 'bad_engine', engine: 'gpt' }, 'engine'],
      [{ key: 'no_metric', name: 'M', engine: 'metric', output: { type: 'number' } }, 'metric'],
      [{ key: 'no_tracker', name: 'T', engine: 'tracker', output: { type: 'boolean' } }, 'tracker'],
      [{ ...pricing, key: 'empty_tracker', tracker: {} }, 'tracker'],
      [{ ...pricing, key: 'bad_regex', tracker: { patterns: ['ok', '(unclosed'] } }, 'tracker.patterns[1]'],
      [{ ...pricing, key: 'tracker_text', output: { type: 'text' } }, 'output.type'],
      // Limits of SPEC §9.3: no duplicates, at most 500 phrases and 100 patterns.
      [
        { ...pricing, key: 'twice', tracker: { phrases: ['price', 'cost', ' Price '] } },
        'tracker.phrases[2]',
      ],
      [{ ...pricing, key: 'twice_re', tracker: { patterns: ['a+', 'b', 'a+'] } }, 'tracker.patterns[2]'],
      [
        {
          ...pricing,
          key: 'phrases_501',
          tracker: { phrases: Array.from({ length: 501 }, (_, i) => `p${i}`) },
        },
        'tracker.phrases',
      ],
      [
        {
          ...pricing,
          key: 'patterns_101',
          tracker: { patterns: Array.from({ length: 101 }, (_, i) => `p${i}`) },
        },
        'tracker.patterns',
      ],
      [
        {
          key: 'metric_bool',
          name: 'M',
          engine: 'metric',
          metric: { name: 'talk_ratio' },
          output: { type: 'boolean' },
        },
        'output.type',
      ],
      [{ ...pricing, key: 'Not-Snake' }, 'key'],
      [{ ...pricing, key: 'one_option', output: { type: 'category', options: ['only'] } }, 'output.options'],
      [
        { ...pricing, key: 'upside_down', engine: 'llm', output: { type: 'score', min: 10, max: 1 } },
        'output.max',
      ],
      [{ ...pricing, key: 'with_version', version: 3 }, '(root)'],
      [{ ...pricing, key: undefined }, 'key'],
    ];
    for (const [body, field] of cases) {
      await expectRefused('/v1/bricks', body, { status: 400, error: 'invalid_request', field });
    }
  });

  it('400 invalid_json for a body that is not an object, 415 for another media type', async () => {
    for (const rawBody of ['[1]', '"brick"', '{"key":']) {
      const res = await t.api('/v1/bricks', { rawBody, headers: { 'content-type': 'application/json' } });
      expect(res.status, rawBody).toBe(400);
      expect(res.body['error'], rawBody).toBe('invalid_json');
    }
    const text = await t.api('/v1/bricks', { rawBody: 'key=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body['error']).toBe('unsupported_media_type');
  });

  it('accepts every public engine: an llm Brick needs no engine settings', async () => {
    const res = await t.api('/v1/bricks', {
      body: {
        key: 'rapport',
        name: 'Rapport',
        description: 'Did the rep build rapport?',
        engine: 'llm',
        output: { type: 'score', min: 1, max: 5 },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body['output']).toEqual({ type: 'score', min: 1, max: 5 });
  });
});

describe('POST /v1/bricks/{key}/versions', () => {
  it('adds the next version; the Brick shows it, with every version newest first', async () => {
    await t.api('/v1/bricks', { body: { ...pricing, key: 'budget_talk' } });
    const v2 = await t.api<Brick>('/v1/bricks/budget_talk/versions', {
      body: {
        ...pricingFields,
        name: 'Budget talk',
        tracker: { phrases: ['budget'] },
        output: { type: 'number' },
      },
    });
    expect(v2.status, v2.text).toBe(201);
    expect(v2.headers.get('location')).toBe('/v1/bricks/budget_talk');
    expect(v2.body).toMatchObject({
      key: 'budget_talk',
      version: 2,
      name: 'Budget talk',
      output: { type: 'number' },
    });
    const v3 = await t.api<Brick>('/v1/bricks/budget_talk/versions', {
      body: { ...pricingFields, key: 'budget_talk', name: 'Budget talk 3' },
    });
    expect(v3.body['version']).toBe(3);
    const got = await t.api<Brick>('/v1/bricks/budget_talk');
    expect(got.body['version']).toBe(3);
    expect(got.body['name']).toBe('Budget talk 3');
    expect(got.body.versions.map((v) => [v.version, v.name])).toEqual([
      [3, 'Budget talk 3'],
      [2, 'Budget talk'],
      [1, 'Pricing asked'],
    ]);
    const listed = (await t.api<List>('/v1/bricks')).body.data.filter((b) => b['key'] === 'budget_talk');
    expect(listed.map((b) => b['version'])).toEqual([3]);
  });

  it('refuses a key in the body that differs from the path, and the same field rules as create', async () => {
    await t.api('/v1/bricks', { body: { ...pricing, key: 'objections' } });
    const before = await t.api('/v1/bricks/objections');
    await expectRefused(
      '/v1/bricks/objections/versions',
      { ...pricing, key: 'other_key' },
      { status: 400, error: 'invalid_request', field: 'key' },
    );
    await expectRefused(
      '/v1/bricks/objections/versions',
      { ...pricingFields, engine: 'metric' },
      { status: 400, error: 'invalid_request', field: 'metric' },
    );
    await expectRefused(
      '/v1/bricks/objections/versions',
      { ...pricingFields, version: 2 },
      { status: 400, error: 'invalid_request', field: '(root)' },
    );
    expect((await t.api('/v1/bricks/objections')).body).toEqual(before.body);
  });

  it('404 brick_not_found for a Brick the workspace does not have', async () => {
    await expectRefused('/v1/bricks/no_such_brick/versions', pricingFields, {
      status: 404,
      error: 'brick_not_found',
    });
    await expectRefused('/v1/bricks/Not-A-Key/versions', pricingFields, {
      status: 404,
      error: 'brick_not_found',
    });
  });
});

describe('GET /v1/bricks/{key}', () => {
  it('?version=N answers that version with its whole definition; an unknown version is 404', async () => {
    await t.api('/v1/bricks', { body: { ...pricing, key: 'discount_talk' } });
    await t.api('/v1/bricks/discount_talk/versions', {
      body: { ...pricingFields, name: 'Discount talk', tracker: { phrases: ['discount'] } },
    });
    const v1 = await t.api<Brick>('/v1/bricks/discount_talk?version=1');
    expect(v1.status, v1.text).toBe(200);
    expect(v1.body).toMatchObject({
      version: 1,
      name: 'Pricing asked',
      tracker: { phrases: ['price', 'cost'] },
    });
    expect(v1.body.versions.map((v) => v.version)).toEqual([2, 1]);
    const v2 = await t.api<Brick>('/v1/bricks/discount_talk?version=2');
    expect(v2.body).toMatchObject({ version: 2, name: 'Discount talk', tracker: { phrases: ['discount'] } });
    expect((await t.api<Brick>('/v1/bricks/discount_talk')).body).toEqual(v2.body);
    const missing = await t.api('/v1/bricks/discount_talk?version=3');
    expect(missing.status).toBe(404);
    expect(missing.body['error']).toBe('brick_not_found');
    for (const bad of ['0', 'two', '1.5']) {
      const res = await t.api(`/v1/bricks/discount_talk?version=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body['error'], bad).toBe('invalid_request');
    }
  });

  it('404 brick_not_found for an unknown or malformed key', async () => {
    for (const key of ['no_such_brick', 'Not-A-Key']) {
      const res = await t.api(`/v1/bricks/${key}`);
      expect(res.status, key).toBe(404);
      expect(res.body['error'], key).toBe('brick_not_found');
    }
  });
});

describe('roles and workspaces', () => {
  it('a runner key reads Bricks but every write is 403 forbidden and changes nothing', async () => {
    expect((await t.api('/v1/bricks', { key: t.runnerKey })).status).toBe(200);
    expect((await t.api('/v1/bricks/talk_ratio', { key: t.runnerKey })).status).toBe(200);
    const before = await t.api('/v1/bricks/talk_ratio');
    const create = await t.api('/v1/bricks', { key: t.runnerKey, body: { ...pricing, key: 'runner_made' } });
    expect(create.status).toBe(403);
    expect(create.body['error']).toBe('forbidden');
    const version = await t.api('/v1/bricks/talk_ratio/versions', { key: t.runnerKey, body: pricingFields });
    expect(version.status).toBe(403);
    expect(version.body['error']).toBe('forbidden');
    expect((await t.api('/v1/bricks/runner_made')).status).toBe(404);
    expect((await t.api('/v1/bricks/talk_ratio')).body).toEqual(before.body);
  });

  it("another workspace cannot see this workspace's Bricks, and has its own key namespace", async () => {
    await t.api('/v1/bricks', { body: { ...pricing, key: 'shared_name' } });
    expect(await brickKeys(t.otherWorkspaceKey)).not.toContain('shared_name');
    const hidden = await t.api('/v1/bricks/shared_name', { key: t.otherWorkspaceKey });
    expect(hidden.status).toBe(404);
    expect(hidden.body['error']).toBe('brick_not_found');
    const addVersion = await t.api('/v1/bricks/shared_name/versions', {
      key: t.otherWorkspaceKey,
      body: pricingFields,
    });
    expect(addVersion.body['error']).toBe('brick_not_found');
    expect(addVersion.status).toBe(404);

    const theirs = await t.api('/v1/bricks', {
      key: t.otherWorkspaceKey,
      body: { ...pricing, key: 'shared_name', name: 'Theirs' },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body['version']).toBe(1);
    expect((await t.api('/v1/bricks/shared_name')).body['name']).toBe('Pricing asked');
  });

  it('every route needs a key', async () => {
    for (const [path, method] of [
      ['/v1/bricks', 'GET'],
      ['/v1/bricks', 'POST'],
      ['/v1/bricks/talk_ratio', 'GET'],
      ['/v1/bricks/talk_ratio/versions', 'POST'],
    ] as const) {
      const res = await t.api(path, { key: null, method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body['error']).toBe('missing_bearer_token');
    }
  });
});
