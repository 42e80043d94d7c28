import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KIT_CODE_PATTERN } from '../../src/ids.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

interface VersionSummary {
  kit_version_id: string;
  version: number;
  status: 'draft' | 'published';
  created_at: string;
  published_at: string | null;
}
interface KitVersion extends VersionSummary {
  object: 'kit_version';
  kit_code: string;
  name: string;
  description: string;
  model: Record<string, string>;
  bricks: { key: string; version: number; name: string; engine: string; output: Record<string, unknown> }[];
}
interface Kit {
  object: 'kit';
  kit_code: string;
  name: string;
  description: string;
  latest_version: VersionSummary;
  published_version: VersionSummary | null;
  versions: KitVersion[];
}
type List<T> = { object: 'list'; data: T[]; has_more: boolean; next_cursor: null };

const TRANSCRIPT = 'Rep: Shall we book a demo for Friday?\nProspect: Yes. What does the price look like?';

async function newKit(body: Record<string, unknown> = {}): Promise<Kit> {
  const res = await t.api<Kit>('/v1/kits', {
    body: { name: 'Basics', bricks: [{ key: 'talk_ratio' }, { key: 'question_count' }], ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function kitList(key = t.liveKey): Promise<List<Omit<Kit, 'versions'>>> {
  return (await t.api<List<Omit<Kit, 'versions'>>>('/v1/kits', { key })).body;
}

/** A rejected write answers the code, names the field, and leaves every Kit as it was. */
async function expectRefused(
  path: string,
  body: unknown,
  expected: { status: number; error: string; field?: string },
  key = t.liveKey,
) {
  const before = await kitList();
  const res = await t.api(path, { body, key, method: 'POST' });
  expect(res.status, res.text).toBe(expected.status);
  expect(res.body['error']).toBe(expected.error);
  if (expected.field) {
    const fields = (res.body['detail'] as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(fields).toContain(expected.field);
  }
  expect(await kitList()).toEqual(before);
  return res;
}

describe('POST /v1/kits', () => {
  it('creates a Kit with a generated code and a draft version 1 pinning the latest Bricks', async () => {
    const res = await t.api<Kit>('/v1/kits', {
      body: {
        name: 'Talk balance',
        description: 'How balanced the call was.',
        model: { provider: 'openai', model: 'gpt-test' },
        bricks: [{ key: 'talk_ratio' }, { key: 'next_step_mentioned', version: 1 }],
      },
    });
    expect(res.status, res.text).toBe(201);
    const kit = res.body;
    expect(kit.kit_code).toMatch(KIT_CODE_PATTERN);
    expect(res.headers.get('location')).toBe(`/v1/kits/${kit.kit_code}`);
    expect(kit).toMatchObject({ object: 'kit', name: 'Talk balance', published_version: null });
    expect(kit.versions).toHaveLength(1);
    const v1 = kit.versions[0]!;
    expect(v1).toMatchObject({
      object: 'kit_version',
      kit_code: kit.kit_code,
      version: 1,
      status: 'draft',
      published_at: null,
      name: 'Talk balance',
      description: 'How balanced the call was.',
      model: { provider: 'openai', model: 'gpt-test' },
      bricks: [
        {
          key: 'talk_ratio',
          version: 1,
          name: 'Talk ratio',
          engine: 'metric',
          output: { type: 'number', min: 0, max: 100, unit: 'percent' },
        },
        { key: 'next_step_mentioned', version: 1, name: 'Next step mentioned', engine: 'tracker' },
      ],
    });
    expect(kit.latest_version).toEqual({
      kit_version_id: v1.kit_version_id,
      version: 1,
      status: 'draft',
      created_at: v1.created_at,
      published_at: null,
    });

    const got = await t.api<Kit>(`/v1/kits/${kit.kit_code.toLowerCase()}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(kit);
    const { versions: _versions, ...summary } = kit;
    expect((await kitList()).data).toContainEqual(summary);
  });

  it('takes a chosen code (any case), refuses one in use here, and another workspace may use it too', async () => {
    const kit = await newKit({ code: 'tb000001' });
    expect(kit.kit_code).toBe('TB000001');
    await expectRefused(
      '/v1/kits',
      { name: 'Again', code: 'TB000001', bricks: [{ key: 'talk_ratio' }] },
      { status: 409, error: 'kit_already_exists' },
    );
    // Another workspace cannot pin our Bricks…
    const theirs = await t.api('/v1/kits', {
      key: t.otherWorkspaceKey,
      body: { name: 'Theirs', bricks: [{ key: 'security_review_ours' }] },
    });
    expect(theirs.status).toBe(400);
    expect((await t.api('/v1/kits/TB000001', { key: t.otherWorkspaceKey })).status).toBe(404);
    // …and our codes are not observable to it (SPEC §9.2): it takes TB000001 as its own Kit.
    const same = await t.api<Kit>('/v1/kits', {
      key: t.otherWorkspaceKey,
      body: { name: 'Theirs too', code: 'TB000001', bricks: [{ key: 'talk_ratio' }] },
    });
    expect(same.status, same.text).toBe(201);
    expect(same.body.kit_code).toBe('TB000001');
    expect(same.body.latest_version?.kit_version_id).not.toBe(kit.latest_version?.kit_version_id);
    expect((await t.api<Kit>('/v1/kits/TB000001')).body).toEqual(kit);
    expect((await t.api<Kit>('/v1/kits/TB000001', { key: t.otherWorkspaceKey })).body.name).toBe(
      'Theirs too',
    );
  });

  it('400 invalid_request naming the field; nothing is created', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'No bricks', bricks: [] }, 'bricks'],
      [{ name: 'Missing', bricks: [{ key: 'talk_ratio' }, { key: 'no_such_brick' }] }, 'bricks[1].key'],
      [{ name: 'Old', bricks: [{ key: 'talk_ratio', version: 99 }] }, 'bricks[0].version'],
      [
        { name: 'Twice', bricks: [{ key: 'talk_ratio' }, { key: 'talk_ratio', version: 1 }] },
        'bricks[1].key',
      ],
      [{ name: '', bricks: [{ key: 'talk_ratio' }] }, 'name'],
      [{ name: 'Code', code: 'ILOU0000', bricks: [{ key: 'talk_ratio' }] }, 'code'],
      [{ name: 'Model', model: { provider: '' }, bricks: [{ key: 'talk_ratio' }] }, 'model.provider'],
      [{ name: 'Model', model: { provider: 'gemini' }, bricks: [{ key: 'talk_ratio' }] }, 'model.provider'],
      [{ name: 'Extra', status: 'published', bricks: [{ key: 'talk_ratio' }] }, '(root)'],
      [{ bricks: [{ key: 'talk_ratio' }] }, 'name'],
      // At most 100 Bricks in a Kit (SPEC §9.3).
      [{ name: 'Huge', bricks: Array.from({ length: 101 }, (_, i) => ({ key: `brick_${i}` })) }, 'bricks'],
    ];
    for (const [body, field] of cases) {
      await expectRefused('/v1/kits', body, { status: 400, error: 'invalid_request', field });
    }
    await expectRefused('/v1/kits', [1], { status: 400, error: 'invalid_json' });
  });

  it('names every Brick reference that does not resolve, not just the first', async () => {
    const res = await expectRefused(
      '/v1/kits',
      { name: 'Two bad', bricks: [{ key: 'nope_one' }, { key: 'talk_ratio' }, { key: 'nope_two' }] },
      { status: 400, error: 'invalid_request' },
    );
    expect((res.body['detail'] as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual([
      'bricks[0].key',
      'bricks[2].key',
    ]);
  });
});

describe('POST /v1/kits/{kit_code}/versions', () => {
  it('makes a new draft that copies what it leaves out', async () => {
    const kit = await newKit({ name: 'Copy me', description: 'Original', model: { model: 'm1' } });
    const res = await t.api<KitVersion>(`/v1/kits/${kit.kit_code}/versions`, { body: { name: 'Renamed' } });
    expect(res.status, res.text).toBe(201);
    const v1 = kit.versions[0]!;
    expect(res.body).toMatchObject({
      object: 'kit_version',
      kit_code: kit.kit_code,
      version: 2,
      status: 'draft',
      name: 'Renamed',
      description: 'Original',
      model: { model: 'm1' },
      bricks: v1.bricks,
    });
    expect(res.body.kit_version_id).not.toBe(v1.kit_version_id);

    // A body-less POST copies everything; `model` and `bricks` replace as a whole.
    const copy = await t.api<KitVersion>(`/v1/kits/${kit.kit_code}/versions`, { method: 'POST' });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body).toMatchObject({ version: 3, name: 'Renamed', bricks: v1.bricks });
    const replaced = await t.api<KitVersion>(`/v1/kits/${kit.kit_code}/versions`, {
      body: { model: {}, bricks: [{ key: 'pricing_discussed' }] },
    });
    expect(replaced.body).toMatchObject({
      version: 4,
      model: {},
      bricks: [{ key: 'pricing_discussed', version: 1 }],
    });

    const got = await t.api<Kit>(`/v1/kits/${kit.kit_code}`);
    expect(got.body.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect(got.body.versions[3]).toEqual(v1);
    expect(got.body.name).toBe('Renamed');
    expect(got.body.latest_version.version).toBe(4);
  });

  it('refuses bad bodies and unknown Kits without adding a version', async () => {
    const kit = await newKit();
    const path = `/v1/kits/${kit.kit_code}/versions`;
    await expectRefused(path, { bricks: [] }, { status: 400, error: 'invalid_request', field: 'bricks' });
    await expectRefused(
      path,
      { bricks: [{ key: 'gone' }] },
      { status: 400, error: 'invalid_request', field: 'bricks[0].key' },
    );
    await expectRefused(
      path,
      { code: 'ZZ000000' },
      { status: 400, error: 'invalid_request', field: '(root)' },
    );
    await expectRefused(path, '"text"', { status: 400, error: 'invalid_json' });
    expect((await t.api<Kit>(`/v1/kits/${kit.kit_code}`)).body.versions).toHaveLength(1);
    await expectRefused('/v1/kits/ZZZZ9999/versions', {}, { status: 404, error: 'kit_not_found' });
    await expectRefused(path, {}, { status: 404, error: 'kit_not_found' }, t.otherWorkspaceKey);
  });
});

describe('POST /v1/kits/{kit_code}/versions/{id}/publish', () => {
  it('publishes a draft; publishing it again returns it unchanged', async () => {
    const kit = await newKit();
    const id = kit.versions[0]!.kit_version_id;
    const res = await t.api<KitVersion>(`/v1/kits/${kit.kit_code}/versions/${id}/publish`, {
      method: 'POST',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ kit_version_id: id, version: 1, status: 'published' });
    expect(Date.parse(res.body.published_at!)).toBeGreaterThanOrEqual(Date.parse(res.body.created_at));
    const again = await t.api<KitVersion>(`/v1/kits/${kit.kit_code}/versions/${id}/publish`, {
      method: 'POST',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const got = await t.api<Kit>(`/v1/kits/${kit.kit_code}`);
    expect(got.body.published_version).toEqual(got.body.latest_version);
    expect(got.body.published_version?.published_at).toBe(res.body.published_at);
  });

  it('404 kit_not_found for an unknown version, or a version of another Kit', async () => {
    const a = await newKit();
    const b = await newKit();
    const bVersion = b.versions[0]!.kit_version_id;
    for (const path of [
      `/v1/kits/${a.kit_code}/versions/${crypto.randomUUID()}/publish`,
      `/v1/kits/${a.kit_code}/versions/not-a-uuid/publish`,
      `/v1/kits/${a.kit_code}/versions/${bVersion}/publish`,
      `/v1/kits/ZZZZ9999/versions/${bVersion}/publish`,
    ]) {
      const res = await t.api(path, { method: 'POST' });
      expect(res.status, path).toBe(404);
      expect(res.body['error'], path).toBe('kit_not_found');
    }
    const other = await t.api(`/v1/kits/${b.kit_code}/versions/${bVersion}/publish`, {
      method: 'POST',
      key: t.otherWorkspaceKey,
    });
    expect(other.status).toBe(404);
    expect((await t.api<Kit>(`/v1/kits/${b.kit_code}`)).body.versions[0]!.status).toBe('draft');
  });
});

describe('GET /v1/kits and GET /v1/kits/{kit_code}', () => {
  it('lists Kits newest first with their latest and published versions', async () => {
    const list = await kitList();
    expect(list).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    const starter = list.data.find((k) => k.kit_code === 'A1B2C3D4')!;
    expect(starter).toMatchObject({
      name: 'Call basics',
      published_version: { version: 1, status: 'published' },
    });
    const draftOnly = list.data.find((k) => k.kit_code === 'DR000001')!;
    expect(draftOnly.published_version).toBeNull();
    expect(draftOnly.latest_version.status).toBe('draft');
    const newest = await newKit({ name: 'Newest' });
    expect((await kitList()).data[0]!.kit_code).toBe(newest.kit_code);
  });

  it('404 kit_not_found for an unknown code or another workspace', async () => {
    for (const [code, key] of [
      ['ZZZZ9999', t.liveKey],
      // SW000001 is a Kit of the default workspace only.
      ['SW000001', t.otherWorkspaceKey],
    ] as const) {
      const res = await t.api(`/v1/kits/${code}`, { key });
      expect(res.status).toBe(404);
      expect(res.body['error']).toBe('kit_not_found');
    }
    // The other workspace has the starter Kits of its own, and nothing of ours.
    const theirs = (await kitList(t.otherWorkspaceKey)).data.map((k) => k.kit_code);
    expect(theirs).toEqual(expect.arrayContaining(['A1B2C3D4', 'D1SC0VRY']));
    expect(theirs).not.toContain('SW000001');
  });
});

describe('roles', () => {
  it('a runner key reads Kits and schemas, and every write is 403 forbidden and changes nothing', async () => {
    const kit = await newKit();
    const id = kit.versions[0]!.kit_version_id;
    for (const path of ['/v1/kits', `/v1/kits/${kit.kit_code}`, '/v1/kits/schema?kit_code=A1B2C3D4']) {
      expect((await t.api(path, { key: t.runnerKey })).status, path).toBe(200);
    }
    for (const [path, body] of [
      ['/v1/kits', { name: 'Runner', bricks: [{ key: 'talk_ratio' }] }],
      [`/v1/kits/${kit.kit_code}/versions`, {}],
      [`/v1/kits/${kit.kit_code}/versions/${id}/publish`, undefined],
    ] as const) {
      await expectRefused(path, body, { status: 403, error: 'forbidden' }, t.runnerKey);
    }
    expect((await t.api<Kit>(`/v1/kits/${kit.kit_code}`)).body).toEqual(kit);
  });

  it('writes use the create rate-limit bucket, reads the read bucket', async () => {
    const write = await t.api('/v1/kits', { body: { name: 'Bucket', bricks: [{ key: 'talk_ratio' }] } });
    expect(write.headers.get('ratelimit-policy')).toMatch(/^"create"/);
    const read = await t.api('/v1/kits');
    expect(read.headers.get('ratelimit-policy')).toMatch(/^"read"/);
  });
});

describe('GET /v1/kits/schema', () => {
  type KitSchema = {
    object: string;
    kit_code: string;
    kit_version_id: string;
    bricks: Record<string, unknown>[];
    schema: Record<string, unknown>;
  };

  it("gives the published version's Bricks and a JSON Schema that a real run's output satisfies", async () => {
    const res = await t.api<KitSchema>('/v1/kits/schema?kit_code=a1b2c3d4');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      object: 'kit_schema',
      kit_code: 'A1B2C3D4',
      kit_version_id: t.starterKitVersionId,
    });
    expect(res.body.bricks.map((b) => b['key'])).toEqual([
      'talk_ratio',
      'question_count',
      'longest_monologue',
      'next_step_mentioned',
      'pricing_discussed',
      'competitors_mentioned',
    ]);
    expect(res.body.bricks[0]).toEqual({
      key: 'talk_ratio',
      version: 1,
      name: 'Talk ratio',
      output: { type: 'number', min: 0, max: 100, unit: 'percent' },
      evidence: 'none',
      confidence: 'required',
    });

    const validator = z.fromJSONSchema(res.body.schema as Parameters<typeof z.fromJSONSchema>[0]);
    const run = await t.api<{ status: string; output: { bricks: Record<string, Record<string, unknown>> } }>(
      '/v1/runs',
      {
        body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: TRANSCRIPT } },
      },
    );
    expect(run.body.status).toBe('succeeded');
    const bricks = run.body.output.bricks;
    expect(validator.safeParse(bricks).error).toBeUndefined();
    // …and it is a real check: a wrongly typed value fails it.
    const wrong = { ...bricks, next_step_mentioned: { ...bricks['next_step_mentioned'], value: 'yes' } };
    expect(validator.safeParse(wrong).success).toBe(false);
  });

  it('names a draft by kit_version_id; a Kit with only drafts has no schema by kit_code', async () => {
    const draft = await t.api<KitSchema>(`/v1/kits/schema?kit_version_id=${t.draftKitVersionId}`);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ kit_code: 'DR000001', bricks: [{ key: 'draft_check' }] });
    const byCode = await t.api('/v1/kits/schema?kit_code=DR000001');
    expect(byCode.status).toBe(422);
    expect(byCode.body['error']).toBe('kit_not_published');
  });

  it('answers the run-request error codes for bad queries', async () => {
    const cases: [string, number, string][] = [
      ['/v1/kits/schema', 400, 'kit_code_or_kit_version_id_required'],
      ['/v1/kits/schema?kit_version_id=not-a-uuid', 400, 'invalid_request'],
      ['/v1/kits/schema?kit_code=A1B2C3D4&extra=1', 400, 'invalid_request'],
      ['/v1/kits/schema?kit_code=ZZZZ9999', 404, 'kit_not_found'],
      [`/v1/kits/schema?kit_version_id=${crypto.randomUUID()}`, 404, 'kit_not_found'],
    ];
    for (const [path, status, error] of cases) {
      const res = await t.api(path);
      expect(res.status, path).toBe(status);
      expect(res.body['error'], path).toBe(error);
    }
    const other = await t.api(`/v1/kits/schema?kit_version_id=${t.starterKitVersionId}`, {
      key: t.otherWorkspaceKey,
    });
    expect(other.status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents every Kit and Brick operation', async () => {
    const doc = await t.api<{ paths: Record<string, Record<string, { operationId: string }>> }>(
      '/openapi.json',
      {
        key: null,
      },
    );
    const operations = Object.values(doc.body.paths).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'listKits',
        'createKit',
        'getKit',
        'createKitVersion',
        'publishKitVersion',
        'getKitSchema',
        'listBricks',
        'createBrick',
        'getBrick',
        'createBrickVersion',
        'testRun',
      ]),
    );
    const html = await (await fetch(`${t.url}/docs`)).text();
    expect(html).toContain('/v1/kits/{kit_code}/versions/{kit_version_id}/publish');
    expect(html).toContain('brick_already_exists');
  });
});
