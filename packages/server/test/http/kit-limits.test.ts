import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The Kit and tracker limits of SPEC §9.3 as settings: a server configured below the ceilings
 * refuses what they would allow, with the schema's error at the schema's path, and writes nothing.
 */

type Fields = { field: string; message: string }[];
type List = { data: Record<string, unknown>[] };

const LOWERED = { maxKitBricks: 3, maxTrackerPhrases: 4, maxTrackerPatterns: 2 };
const tooBig = (limit: number) => `Too big: expected array to have <=${limit} items`;
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`);
const tracker = (key: string, settings: Record<string, unknown>) => ({
  key,
  name: key,
  engine: 'tracker',
  tracker: settings,
  output: { type: 'boolean' },
});
const STARTER_BRICKS = ['talk_ratio', 'question_count', 'longest_monologue', 'next_step_mentioned'];
const refs = (n: number) => STARTER_BRICKS.slice(0, n).map((key) => ({ key }));

/** What a refused write must leave as it was: every Kit (with its versions) and every Brick. */
async function snapshot(server: TestServer) {
  const kits = (await server.api<List>('/v1/kits')).body.data;
  const details = await Promise.all(
    kits.map(async (k) => (await server.api(`/v1/kits/${k['kit_code']}`)).body),
  );
  const bricks = (await server.api<List>('/v1/bricks')).body.data;
  return { details, bricks };
}

/** 400 invalid_request with exactly this field and message, and nothing stored. */
async function expectOverLimit(
  server: TestServer,
  path: string,
  body: unknown,
  field: string,
  limit: number,
) {
  const before = await snapshot(server);
  const res = await server.api(path, { body });
  expect(res.status, res.text).toBe(400);
  expect(res.body['error']).toBe('invalid_request');
  expect((res.body['detail'] as { fields: Fields }).fields).toEqual([{ field, message: tooBig(limit) }]);
  expect(await snapshot(server)).toEqual(before);
}

async function expectCreated(server: TestServer, path: string, body: unknown) {
  const res = await server.api(path, { body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('limits lowered by configuration', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: LOWERED });
  });
  afterAll(async () => t?.close());

  it('a Kit of more Bricks than the limit is refused at `bricks`; at the limit it is created', async () => {
    await expectOverLimit(t, '/v1/kits', { name: 'Four', bricks: refs(4) }, 'bricks', 3);
    const kit = await expectCreated(t, '/v1/kits', { name: 'Three', bricks: refs(3) });
    const code = kit['kit_code'] as string;
    await expectOverLimit(t, `/v1/kits/${code}/versions`, { bricks: refs(4) }, 'bricks', 3);
    await expectCreated(t, `/v1/kits/${code}/versions`, { bricks: refs(2) });
  });

  it('a Kit stored with more Bricks (before the limit) takes new versions that copy them', async () => {
    // The starter Kit has six Bricks: a new version that leaves `bricks` out keeps all six.
    const version = await expectCreated(t, '/v1/kits/A1B2C3D4/versions', { name: 'Renamed basics' });
    expect(version['bricks']).toHaveLength(6);
    await expectOverLimit(t, '/v1/kits/A1B2C3D4/versions', { bricks: refs(4) }, 'bricks', 3);
  });

  it('a tracker of more phrases or patterns than the limits is refused at their path; at them it is created', async () => {
    await expectOverLimit(
      t,
      '/v1/bricks',
      tracker('five_phrases', { phrases: words(5) }),
      'tracker.phrases',
      4,
    );
    await expectOverLimit(
      t,
      '/v1/bricks',
      tracker('three_patterns', { patterns: ['a', 'b', 'c'] }),
      'tracker.patterns',
      2,
    );
    await expectCreated(t, '/v1/bricks', tracker('at_limits', { phrases: words(4), patterns: ['a', 'b'] }));
    const { key: _key, ...fields } = tracker('at_limits', { phrases: words(5) });
    await expectOverLimit(t, '/v1/bricks/at_limits/versions', fields, 'tracker.phrases', 4);
    await expectCreated(t, '/v1/bricks/at_limits/versions', { ...fields, tracker: { phrases: words(3) } });
  });

  it('MCP tools answer the same catalog error at the same path, and write nothing', async () => {
    const client = new Client({ name: 'semarize-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${t.liveKey}` } },
      }),
    );
    try {
      const before = await snapshot(t);
      const refused = async (tool: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({ name: tool, arguments: args })) as {
          isError?: boolean;
          structuredContent?: { error: string; detail: { fields: Fields } };
        };
        expect(result.isError).toBe(true);
        expect(result.structuredContent!.error).toBe('invalid_request');
        return result.structuredContent!.detail.fields;
      };
      expect(await refused('create_kit_draft', { name: 'Four', bricks: refs(4) })).toEqual([
        { field: 'bricks', message: tooBig(3) },
      ]);
      expect(await refused('update_kit_draft', { kit_code: 'A1B2C3D4', bricks: refs(4) })).toEqual([
        { field: 'bricks', message: tooBig(3) },
      ]);
      expect(await refused('create_brick', tracker('mcp_patterns', { patterns: ['a', 'b', 'c'] }))).toEqual([
        { field: 'tracker.patterns', message: tooBig(2) },
      ]);
      expect(await snapshot(t)).toEqual(before);
    } finally {
      await client.close();
    }
  });

  it('the OpenAPI document still states the ceilings: a lower limit changes no schema', async () => {
    const doc = (await t.api('/openapi.json')).text;
    const body = (path: string) => {
      const operation = (JSON.parse(doc) as { paths: Record<string, { post: Record<string, unknown> }> })
        .paths[path]!;
      return JSON.stringify(operation.post['requestBody']);
    };
    expect(body('/v1/kits')).toContain('"maxItems":100');
    expect(body('/v1/bricks')).toContain('"maxItems":500');
    // Identical to the document of a server on the defaults, byte for byte.
    const defaults = await startTestServer();
    try {
      expect((await defaults.api('/openapi.json')).text).toBe(doc);
    } finally {
      await defaults.close();
    }
  });
});

describe('the default limits are the ceilings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it('takes a tracker of 500 phrases and one of 100 patterns, and a Kit of 100 Bricks', async () => {
    await expectCreated(t, '/v1/bricks', tracker('many_phrases', { phrases: words(500) }));
    const patterns = Array.from({ length: 100 }, (_, i) => `\\bp${i}\\b`);
    await expectCreated(t, '/v1/bricks', tracker('many_patterns', { patterns }));
    const keys = Array.from({ length: 98 }, (_, i) => `brick_${i}`);
    for (const key of keys) await expectCreated(t, '/v1/bricks', tracker(key, { phrases: [key] }));
    const bricks = ['many_phrases', 'many_patterns', ...keys].map((key) => ({ key }));
    const kit = await expectCreated(t, '/v1/kits', { name: 'Hundred', bricks });
    expect((kit['latest_version'] as Record<string, unknown>)['version']).toBe(1);
    await expectOverLimit(
      t,
      '/v1/kits',
      { name: 'Too many', bricks: [...bricks, { key: 'talk_ratio' }] },
      'bricks',
      100,
    );
  });
});
