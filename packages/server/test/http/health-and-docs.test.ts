import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

describe('operations endpoints', () => {
  it('/healthz and /readyz answer without a key', async () => {
    const health = await t.api('/healthz', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await t.api('/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', store: t.schema ? 'postgres' : 'sqlite' });
  });

  it('/openapi.json describes the runs API from the request schemas', async () => {
    interface Schema {
      properties: Record<string, { enum?: string[] }>;
      required?: string[];
    }
    interface Doc {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; parameters: { name: string }[] }>>;
      components: { schemas: Record<string, Schema> };
    }
    const res = await t.api<Doc>('/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/v1/runs', '/v1/runs/{runId}', '/v1/runs/{runId}/cancel']),
    );
    expect(paths['/v1/runs']!['post']!.operationId).toBe('createRun');
    const create = res.body.components.schemas['CreateRunBody']!;
    expect(Object.keys(create.properties)).toEqual(['kit_code', 'kit_version_id', 'input', 'type', 'mode']);
    expect(create.properties['type']!.enum).toEqual(['api', 'sandbox']);
    expect(create.required).toEqual(['input']);
    expect(res.body.components.schemas['Error']!.properties['error']!.enum).toContain(
      'idempotency_key_conflict',
    );
    const listParams = paths['/v1/runs']!['get']!.parameters.map((p) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'kit_code', 'run_type']));
    expect(paths['/v1/runs/{runId}']!['get']!.parameters.map((p) => p.name)).toContain('include');
    // Every operation lists what any request can meet before its route runs (SPEC §9.5).
    for (const [path, operations] of Object.entries(paths).filter(([path]) => path.startsWith('/v1/'))) {
      for (const [method, operation] of Object.entries(operations)) {
        const responses = (operation as unknown as { responses: Record<string, unknown> }).responses;
        expect(Object.keys(responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['408', '414', '431']),
        );
      }
    }
  });

  it('/openapi.json documents the webhook routes and, as OpenAPI 3.1 webhooks, the events a receiver gets', async () => {
    interface Doc {
      paths: Record<string, Record<string, { operationId: string }>>;
      webhooks: Record<string, { post: { parameters: { name: string }[] } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    }
    const doc = (await t.api<Doc>('/openapi.json', { key: null })).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/rotate-secret',
        '/v1/webhooks/{id}/test',
        '/v1/webhooks/{id}/deliveries',
        '/v1/webhook-deliveries/{id}/redeliver',
      ]),
    );
    expect(doc.paths['/v1/webhooks/{id}']!['patch']!.operationId).toBe('updateWebhook');
    expect(Object.keys(doc.components.schemas['CreateWebhookBody']!.properties)).toEqual([
      'url',
      'events',
      'payload',
      'enabled',
      'description',
    ]);
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      'ping',
      'run.cancelled',
      'run.failed',
      'run.succeeded',
    ]);
    expect(doc.webhooks['run.succeeded']!.post.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Semarize-Signature', 'webhook-signature', 'Semarize-Event-Id']),
    );
  });

  it('/docs renders a readable reference page of every operation and error code', async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('POST</span> /v1/runs');
    expect(html).toContain('/v1/runs/{runId}/cancel');
    expect(html).toContain('idempotency_key_conflict');
    // The renderer is served by this server: no script, style or font comes from anywhere else.
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    for (const [, src] of html.matchAll(/<script[^>]* src="([^"]+)"/g)) {
      expect(src).toMatch(/^\/docs\//);
      const asset = await fetch(`${t.url}${src}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    }
  });

  it('/ redirects a browser to the console (the reference when the console is off)', async () => {
    const res = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/console');
    const followed = await fetch(`${t.url}/`);
    expect(followed.url).toBe(`${t.url}/console`);
    expect(followed.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('/metrics exposes Prometheus counters by route pattern, request durations and queue gauges', async () => {
    const created = await t.api('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'Rep: Hi?\nProspect: Hello.' } },
    });
    expect(created.status).toBe(200);
    await t.api(`/v1/runs/${created.body['run_id']}`);
    await t.api('/v1/runs/run_nope');
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('semarize_http_requests_total{method="POST",route="/v1/runs",status="200"}')).toBe(1);
    expect(value('semarize_http_requests_total{method="GET",route="/v1/runs/:runId",status="200"}')).toBe(1);
    expect(value('semarize_http_requests_total{method="GET",route="/v1/runs/:runId",status="404"}')).toBe(1);
    expect(text).not.toContain(created.body['run_id'] as string);
    expect(value('semarize_http_request_duration_seconds_count{method="POST",route="/v1/runs"}')).toBe(1);
    expect(
      value('semarize_http_request_duration_seconds_bucket{method="POST",route="/v1/runs",le="+Inf"}'),
    ).toBe(1);
    expect(text).toContain('# TYPE semarize_http_request_duration_seconds histogram');
    expect(value('semarize_runs_queued')).toBe(0);
    expect(value('semarize_runs_in_flight')).toBe(0);
    expect(value('semarize_webhook_deliveries_in_flight')).toBe(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
