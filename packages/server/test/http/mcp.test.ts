import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
// One run at a time, so a slow run holds the only worker slot while the tests look at it.
beforeAll(async () => {
  t = await startTestServer({ config: { workerConcurrency: 1 } });
});
afterAll(async () => t?.close());

const TRANSCRIPT =
  'Rep: Thanks for joining. How is the rollout going?\nCustomer: Slowly. What is the price for the next tier?\nRep: It is 40 per seat. Shall we schedule a follow-up next week?\nCustomer: Yes, and we also looked at Gong.';

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
};

/** The largest tool result the suite saw, in characters (≈ 4 per token). */
let largestResult = { chars: 0, tool: '' };

async function connect(server: TestServer, key: string, era: 'modern' | 'legacy' = 'modern') {
  const client = new Client(
    { name: 'semarize-test', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return {
    client,
    async call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
      const result = (await client.callTool({ name, arguments: args })) as ToolResult;
      const chars = JSON.stringify(result).length;
      if (chars > largestResult.chars) largestResult = { chars, tool: name };
      return result;
    },
  };
}

type Connection = Awaited<ReturnType<typeof connect>>;
let admin: Connection;
beforeAll(async () => {
  admin = await connect(t, t.liveKey);
});
afterAll(async () => admin?.client.close());

const structured = (result: ToolResult) => {
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent!;
};
const errorOf = (result: ToolResult) => {
  expect(result.isError).toBe(true);
  expect(result.content[0]!.text).toContain(String(result.structuredContent!['error']));
  return result.structuredContent!;
};

const RUN_TOOLS = ['list_kits', 'get_kit', 'create_run', 'get_run', 'list_runs', 'cancel_run', 'test_kit'];
const ADMIN_TOOLS = ['create_brick', 'create_kit_draft', 'update_kit_draft', 'publish_kit_version'];

describe('MCP: connecting and tools/list', () => {
  it('connects on the current revision and on the 2025 stateless mode alike', async () => {
    expect(admin.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const legacy = await connect(t, t.liveKey, 'legacy');
    expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const run = structured(
      await legacy.call('create_run', {
        kit: 'A1B2C3D4',
        input: { transcript: TRANSCRIPT },
        wait_seconds: 20,
      }),
    );
    expect(run['run']).toMatchObject({ status: 'succeeded' });
    await legacy.client.close();
  });

  it('shows each key only the tools it may call, with schemas and honest annotations', async () => {
    const names = async (key: string) => {
      const { client } = await connect(t, key);
      const { tools } = await client.listTools();
      await client.close();
      return tools;
    };
    const adminTools = await names(t.liveKey);
    expect(adminTools.map((tool) => tool.name).sort()).toEqual(
      [...RUN_TOOLS, 'list_bricks', 'get_brick', ...ADMIN_TOOLS].sort(),
    );
    // A runner key reads and runs; a test key (admin, but test mode) cannot change Kits or Bricks.
    for (const key of [t.runnerKey, t.testKey]) {
      expect((await names(key)).map((tool) => tool.name).sort()).toEqual(
        [...RUN_TOOLS, 'list_bricks', 'get_brick'].sort(),
      );
    }
    for (const tool of adminTools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description!.length).toBeGreaterThan(20);
      expect(tool.annotations).toMatchObject({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
      });
    }
    const byName = Object.fromEntries(adminTools.map((tool) => [tool.name, tool]));
    expect(byName['publish_kit_version']!.annotations).toMatchObject({
      destructiveHint: true,
      readOnlyHint: false,
    });
    expect(byName['get_run']!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName['create_run']!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    // The input schemas are the REST API's: create_run's input and type are POST /v1/runs's fields.
    const createRun = byName['create_run']!.inputSchema as { properties: Record<string, { enum?: unknown }> };
    expect(createRun.properties['type']!.enum).toEqual(['api', 'sandbox']);
    expect(createRun.properties['wait_seconds']).toMatchObject({ minimum: 0, maximum: 60, default: 30 });
    expect(byName['create_brick']!.inputSchema.required).toEqual(
      expect.arrayContaining(['key', 'name', 'engine', 'output']),
    );
  });
});

describe('MCP: runs', () => {
  it('finds the starter Kit, runs it with a wait and reads each Brick with at most 3 quotes', async () => {
    const kits = structured(await admin.call('list_kits', {}));
    expect((kits['kits'] as { kit_code: string }[]).map((k) => k.kit_code)).toContain('A1B2C3D4');
    const kit = structured(await admin.call('get_kit', { kit_code: 'a1b2c3d4' }));
    expect(kit['bricks']).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'talk_ratio' })]));
    expect(kit['output_schema']).toMatchObject({ type: 'object' });
    expect(kit['shown_version']).toMatchObject({ status: 'published' });

    const result = await admin.call('create_run', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT } });
    const { run } = structured(result) as { run: Record<string, unknown> };
    expect(run).toMatchObject({ status: 'succeeded', kit_code: 'A1B2C3D4', run_type: 'api' });
    const bricks = run['bricks'] as Record<
      string,
      { value: unknown; confidence: number; reason: string; quotes: string[] }
    >;
    expect(bricks['pricing_discussed']).toMatchObject({ value: true, reason: expect.any(String) });
    expect(bricks['competitors_mentioned']!.value).toEqual(['Gong']);
    for (const brick of Object.values(bricks)) expect(brick.quotes.length).toBeLessThanOrEqual(3);
    // The text rendering names every Brick with its value.
    expect(result.content[0]!.text).toContain('pricing_discussed: true');

    // The same run as the REST API shows it.
    const rest = await t.api(`/v1/runs/${run['run_id']}`);
    expect(
      (rest.body['output'] as { bricks: Record<string, { value: unknown }> }).bricks['pricing_discussed']!
        .value,
    ).toBe(true);
    const full = structured(await admin.call('get_run', { run_id: run['run_id'], detail: 'full' }));
    expect(full['full']).toMatchObject({ run_id: run['run_id'], output: rest.body['output'] });
  });

  it('returns a run that outlasts the wait unfinished, with a hint; get_run then waits for it', async () => {
    const created = structured(
      await admin.call('create_run', {
        kit: 'SW000001',
        input: { transcript: 'A: hi', sleep_ms: 3_000 },
        wait_seconds: 1,
      }),
    );
    const run = created['run'] as Record<string, unknown>;
    expect(['queued', 'running']).toContain(run['status']);
    expect(run['bricks']).toBeUndefined();
    expect(created['next_step']).toContain('get_run');
    const finished = structured(await admin.call('get_run', { run_id: run['run_id'], wait_seconds: 30 }));
    expect(finished['run']).toMatchObject({
      status: 'succeeded',
      bricks: { slow_check: expect.any(Object) },
    });
    expect(finished['next_step']).toBeUndefined();
  });

  it('replays a run for the same idempotency key', async () => {
    const args = {
      kit: 'A1B2C3D4',
      input: { transcript: TRANSCRIPT },
      idempotency_key: 'mcp-once',
      type: 'sandbox',
    };
    const first = structured(await admin.call('create_run', args));
    const second = structured(await admin.call('create_run', args));
    expect(second).toMatchObject({
      replayed: true,
      run: { run_id: (first['run'] as { run_id: string }).run_id },
    });
    const conflict = errorOf(await admin.call('create_run', { ...args, kit: 'SW000001' }));
    expect(conflict).toMatchObject({ error: 'idempotency_key_conflict', detail: { fields: ['kit_code'] } });
  });

  it('lists runs with filters, at most 20 a page, following the cursor', async () => {
    for (let i = 0; i < 3; i++) {
      structured(
        await admin.call('create_run', {
          kit: 'A1B2C3D4',
          input: { transcript: `${TRANSCRIPT} ${i}` },
          type: 'sandbox',
          wait_seconds: 0,
        }),
      );
    }
    const first = structured(
      await admin.call('list_runs', { run_type: 'sandbox', kit_code: 'a1b2c3d4', limit: 2 }),
    );
    const runs = first['runs'] as { run_id: string; run_type: string; kit_code: string }[];
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.run_type === 'sandbox' && r.kit_code === 'A1B2C3D4')).toBe(true);
    expect(first['has_more']).toBe(true);
    const second = structured(
      await admin.call('list_runs', {
        run_type: 'sandbox',
        kit_code: 'A1B2C3D4',
        limit: 2,
        cursor: first['next_cursor'],
      }),
    );
    const next = second['runs'] as { run_id: string }[];
    expect(next.length).toBeGreaterThan(0);
    expect(next.map((r) => r.run_id)).not.toContain(runs[0]!.run_id);
    expect(next[0]!.run_id < runs[1]!.run_id).toBe(true);
    const failed = structured(await admin.call('list_runs', { status: 'failed' }));
    expect(failed['runs']).toEqual([]);

    const tooMany = errorOf(await admin.call('list_runs', { limit: 21 }));
    expect(tooMany).toMatchObject({ error: 'invalid_request', detail: { fields: [{ field: 'limit' }] } });
    const badCursor = errorOf(await admin.call('list_runs', { cursor: 'nope' }));
    expect(badCursor).toMatchObject({ error: 'invalid_request', detail: { fields: [{ field: 'cursor' }] } });
  });

  it('cancels a run; a finished one is not cancellable; another workspace sees none of it', async () => {
    const created = structured(
      await admin.call('create_run', {
        kit: 'SW000001',
        input: { transcript: 'A: hi', sleep_ms: 60_000 },
        wait_seconds: 0,
      }),
    );
    const runId = (created['run'] as { run_id: string }).run_id;
    const cancelled = structured(await admin.call('cancel_run', { run_id: runId }));
    expect(cancelled['run']).toMatchObject({ run_id: runId, status: 'cancelled', error_code: 'cancelled' });

    const done = structured(
      await admin.call('create_run', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT }, type: 'sandbox' }),
    );
    const doneId = (done['run'] as { run_id: string }).run_id;
    expect(errorOf(await admin.call('cancel_run', { run_id: doneId }))).toMatchObject({
      error: 'run_not_cancellable',
      detail: { status: 'succeeded' },
    });

    const other = await connect(t, t.otherWorkspaceKey);
    expect(errorOf(await other.call('get_run', { run_id: doneId }))['error']).toBe('run_not_found');
    expect(errorOf(await other.call('cancel_run', { run_id: runId }))['error']).toBe('run_not_found');
    await other.client.close();
  });

  it('test keys run sandbox runs only and see only those', async () => {
    const test = await connect(t, t.testKey);
    const { run } = structured(
      await test.call('create_run', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT } }),
    ) as {
      run: Record<string, unknown>;
    };
    expect(run).toMatchObject({ run_type: 'sandbox', status: 'succeeded' });
    const listed = structured(await test.call('list_runs', { limit: 20 }));
    expect((listed['runs'] as { run_type: string }[]).every((r) => r.run_type === 'sandbox')).toBe(true);
    await test.client.close();
  });

  it('answers errors as isError results with the catalog code', async () => {
    const unknownKit = errorOf(
      await admin.call('create_run', { kit: 'ZZZZZZZZ', input: { transcript: TRANSCRIPT } }),
    );
    expect(unknownKit).toMatchObject({
      error: 'kit_not_found',
      message: expect.stringContaining('ZZZZZZZZ'),
    });
    expect(errorOf(await admin.call('get_kit', { kit_code: 'ZZZZZZZZ' }))['error']).toBe('kit_not_found');
    expect(errorOf(await admin.call('get_brick', { key: 'no_such_brick' }))['error']).toBe('brick_not_found');
    expect(errorOf(await admin.call('get_run', { run_id: 'run_nope' }))['error']).toBe('run_not_found');

    const notObject = errorOf(await admin.call('create_run', { kit: 'A1B2C3D4', input: 'just text' }));
    expect(notObject).toMatchObject({ error: 'invalid_request', detail: { fields: [{ field: 'input' }] } });
    const noConversation = errorOf(await admin.call('create_run', { kit: 'A1B2C3D4', input: { notes: 1 } }));
    expect(noConversation['error']).toBe('input_invalid');
    const badWait = errorOf(
      await admin.call('create_run', { kit: 'A1B2C3D4', input: { transcript: 'x' }, wait_seconds: 61 }),
    );
    expect(badWait).toMatchObject({
      error: 'invalid_request',
      detail: { fields: [{ field: 'wait_seconds' }] },
    });
    const unknownField = errorOf(await admin.call('get_run', { run_id: 'run_x', include: 'all' }));
    expect(unknownField['error']).toBe('invalid_request');
    const badKey = errorOf(
      await admin.call('create_run', { kit: 'A1B2C3D4', input: { transcript: 'x' }, idempotency_key: '' }),
    );
    expect(badKey['error']).toBe('invalid_idempotency_key');

    const check = structured(
      await admin.call('test_kit', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT } }),
    );
    expect(check).toMatchObject({ object: 'test_result', kit_code: 'A1B2C3D4' });
    expect(errorOf(await admin.call('test_kit', { kit: 'A1B2C3D4', input: { notes: 1 } }))['error']).toBe(
      'input_invalid',
    );
  });
});

describe('MCP: Bricks and Kits', () => {
  const brick = {
    key: 'mcp_budget',
    name: 'Budget mentioned',
    description: 'Whether anyone mentioned a budget.',
    engine: 'tracker',
    tracker: { phrases: ['budget'] },
    output: { type: 'boolean' },
  };

  it('drafts a Brick and a Kit, runs the draft, drafts again and publishes (admin only)', async () => {
    const listed = structured(await admin.call('list_bricks', {}));
    expect((listed['bricks'] as { key: string }[]).map((b) => b.key)).toContain('talk_ratio');
    expect(structured(await admin.call('get_brick', { key: 'talk_ratio' }))).toMatchObject({
      key: 'talk_ratio',
      engine: 'metric',
    });

    const created = structured(await admin.call('create_brick', brick));
    expect(created).toMatchObject({ key: 'mcp_budget', version: 1, versions: [{ version: 1 }] });
    expect(errorOf(await admin.call('create_brick', brick))['error']).toBe('brick_already_exists');
    const invalid = errorOf(
      await admin.call('create_brick', { ...brick, key: 'mcp_other', output: { type: 'nope' } }),
    );
    expect(invalid).toMatchObject({
      error: 'invalid_request',
      detail: { fields: [expect.objectContaining({ field: expect.stringContaining('output') })] },
    });

    const draft = structured(
      await admin.call('create_kit_draft', { name: 'MCP kit', bricks: [{ key: 'mcp_budget' }] }),
    );
    expect(draft).toMatchObject({
      object: 'kit_version',
      version: 1,
      status: 'draft',
      bricks: [{ key: 'mcp_budget', version: 1 }],
    });
    const kitCode = draft['kit_code'] as string;
    // Until it is published the code does not run; the draft runs by its version id.
    expect(
      errorOf(
        await admin.call('create_run', { kit: kitCode, input: { transcript: 'A: our budget is small' } }),
      )['error'],
    ).toBe('kit_not_published');
    const ran = structured(
      await admin.call('create_run', {
        kit: draft['kit_version_id'],
        input: { transcript: 'A: our budget is small' },
      }),
    );
    expect(ran['run']).toMatchObject({ status: 'succeeded', bricks: { mcp_budget: { value: true } } });

    const v2 = structured(
      await admin.call('update_kit_draft', { kit_code: kitCode, description: 'Budget talk' }),
    );
    expect(v2).toMatchObject({ version: 2, status: 'draft', description: 'Budget talk', name: 'MCP kit' });

    // A runner key cannot see or call the admin tools; REST refuses it the same way.
    const runner = await connect(t, t.runnerKey);
    await expect(
      runner.client.callTool({
        name: 'publish_kit_version',
        arguments: { kit_code: kitCode, kit_version_id: v2['kit_version_id'] },
      }),
    ).rejects.toThrow(/publish_kit_version not found/);
    await runner.client.close();
    const rest = await t.api(`/v1/kits/${kitCode}/versions/${v2['kit_version_id']}/publish`, {
      method: 'POST',
      key: t.runnerKey,
      body: {},
    });
    expect(rest.status).toBe(403);
    expect(structured(await admin.call('get_kit', { kit_code: kitCode }))['shown_version']).toMatchObject({
      version: 2,
      status: 'draft',
    });

    const published = structured(
      await admin.call('publish_kit_version', { kit_code: kitCode, kit_version_id: v2['kit_version_id'] }),
    );
    expect(published).toMatchObject({ version: 2, status: 'published', published_at: expect.any(String) });
    const kit = structured(await admin.call('get_kit', { kit_code: kitCode }));
    expect(kit['kit']).toMatchObject({ published_version: { version: 2 } });
    expect(kit['versions']).toHaveLength(2);
    const byCode = structured(
      await admin.call('create_run', { kit: kitCode, input: { transcript: 'A: no money talk' } }),
    );
    expect(byCode['run']).toMatchObject({
      kit_version_id: v2['kit_version_id'],
      bricks: { mcp_budget: { value: false } },
    });
    expect(
      errorOf(
        await admin.call('publish_kit_version', {
          kit_code: kitCode,
          kit_version_id: '00000000-0000-4000-8000-000000000000',
        }),
      )['error'],
    ).toBe('kit_not_found');
  });
});

describe('MCP: rate limits', () => {
  it('draws from the same buckets as the key’s REST calls', async () => {
    const limited = await startTestServer({ config: { rateLimitCreate: 2, rateLimitRead: 1_000 } });
    try {
      const mcp = await connect(limited, limited.liveKey);
      structured(await mcp.call('test_kit', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT } }));
      expect(
        (await limited.api('/v1/test', { body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } } }))
          .status,
      ).toBe(200);
      const refused = errorOf(
        await mcp.call('create_run', { kit: 'A1B2C3D4', input: { transcript: TRANSCRIPT } }),
      );
      expect(refused).toMatchObject({
        error: 'rate_limited',
        detail: { reason: 'rate_limit', bucket: 'create' },
        retry_after_seconds: expect.any(Number),
      });
      expect(
        (await limited.api('/v1/runs', { body: { kit_code: 'A1B2C3D4', input: { transcript: TRANSCRIPT } } }))
          .status,
      ).toBe(429);
      // Reads have their own bucket.
      structured(await mcp.call('list_kits', {}));
      await mcp.client.close();
    } finally {
      await limited.close();
    }
  });
});

/** A JSON-RPC message from a JSON body or from the one event of an SSE body. */
async function rpcBody(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!response.headers.get('content-type')?.includes('text/event-stream')) return JSON.parse(text);
  const data = text.split('\n').find((line) => line.startsWith('data:'));
  return JSON.parse(data!.slice(5));
}

describe('MCP: raw JSON-RPC over HTTP', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${t.runnerKey}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };

  it('initializes statelessly (no session id) and lists tools with the protocol version header', async () => {
    const init = await post(initialize);
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    const body = await rpcBody(init);
    expect(body).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: {
        protocolVersion: '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'semarize' },
      },
    });
    const list = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'mcp-protocol-version': '2025-06-18' },
    );
    expect(list.status).toBe(200);
    const tools = ((await rpcBody(list))['result'] as { tools: { name: string }[] }).tools;
    expect(tools.map((tool) => tool.name)).not.toContain('create_brick');
    expect(tools.map((tool) => tool.name)).toContain('create_run');
    const unsupported = await post(
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { 'mcp-protocol-version': '1999-01-01' },
    );
    expect(unsupported.status).toBe(400);
  });

  it('advertises tools without list-change notifications: a stateless server never sends them', async () => {
    const init = await rpcBody(await post(initialize));
    const { capabilities } = init['result'] as { capabilities: { tools?: { listChanged?: boolean } } };
    expect(capabilities.tools).toBeDefined();
    expect(capabilities.tools?.listChanged).not.toBe(true);
    // The 2026-07-28 revision reads the same capabilities from server/discover.
    expect(admin.client.getServerCapabilities()?.tools?.listChanged).not.toBe(true);
  });

  it('answers 401 with WWW-Authenticate for a missing or bad key', async () => {
    const missing = await post(initialize, { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await missing.json()).toMatchObject({ error: 'missing_bearer_token' });
    const bad = await post(initialize, { authorization: 'Bearer sk_live_nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await bad.json()).toMatchObject({ error: 'invalid_api_key' });
  });

  it('refuses a browser Origin of another site and accepts this server’s', async () => {
    const foreign = await post(initialize, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'forbidden', detail: { reason: 'origin' } });
    expect((await post(initialize, { origin: 'null' })).status).toBe(403);
    const own = await post(initialize, { origin: new URL(t.url).origin });
    expect(own.status).toBe(200);
  });

  it('answers GET and DELETE with 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${t.url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${t.runnerKey}` },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
    }
  });
});

describe('MCP: output size', () => {
  it('keeps the largest tool result of this suite far under 25,000 tokens', () => {
    expect(largestResult.chars).toBeGreaterThan(0);
    // About 4 characters a token.
    expect(largestResult.chars / 4, `largest: ${largestResult.tool}`).toBeLessThan(5_000);
  });
});
