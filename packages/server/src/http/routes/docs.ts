import type { FastifyInstance } from 'fastify';
import { ERROR_CATALOG } from '../../errors/api-error.ts';
import { buildOpenApi } from '../openapi.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: object }[];
  requestBody?: { content: { 'application/json': { schema: { $ref: string } } } };
  responses: Record<string, { description: string }>;
}

/** Renders the OpenAPI document as one self-contained page: no scripts, no CDN, works offline. */
export function renderDocsPage(doc: ReturnType<typeof buildOpenApi>): string {
  const info = doc['info'] as { title: string; version: string; description: string };
  const paths = doc['paths'] as Record<string, Record<string, Operation>>;
  const schemas = (doc['components'] as { schemas: Record<string, object> }).schemas;
  const ops = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const nav = ops
    .map(
      ({ method, path, op }) =>
        `<li><a href="#${op.operationId}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`,
    )
    .join('');
  const sections = ops
    .map(({ method, path, op }) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td><td>${escapeHtml(
              p.description ?? JSON.stringify(p.schema ?? {}),
            )}</td></tr>`,
        )
        .join('');
      const body = op.requestBody
        ? `<p>Body: <a href="#schema-${op.requestBody.content['application/json'].schema.$ref.split('/').pop()}">${op.requestBody.content[
            'application/json'
          ].schema.$ref
            .split('/')
            .pop()}</a></p>`
        : '';
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<tr><td>${status}</td><td>${escapeHtml(r.description)}</td></tr>`)
        .join('');
      return `<section id="${op.operationId}"><h2><span class="m">${method.toUpperCase()}</span> ${escapeHtml(path)}</h2>
<p><strong>${escapeHtml(op.summary)}</strong></p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${params ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr>${params}</table>` : ''}
${body}<table><tr><th>Status</th><th>Meaning</th></tr>${responses}</table></section>`;
    })
    .join('\n');
  const schemaSections = Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<section id="schema-${name}"><h3>${name}</h3><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></section>`,
    )
    .join('\n');
  const errorRows = Object.entries(ERROR_CATALOG)
    .map(
      ([code, e]) =>
        `<tr><td>${e.status}</td><td><code>${code}</code></td><td>${escapeHtml(e.message)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f7;padding:1rem;overflow:auto;font-size:13px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.m{background:#1d1d1f;color:#fff;padding:0 .4rem;border-radius:4px;font-size:.8em}section{margin:2rem 0}</style></head>
<body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>Authenticate every <code>/v1</code> request with <code>Authorization: Bearer smz_live_…</code> (or a <code>smz_test_…</code> sandbox key).
Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p><ul>${nav}</ul>${sections}
<h2 id="errors">Errors</h2><p>Every error is <code>{"error": code, "message", "detail"?, "retry_after_seconds"?, "request_id"}</code>.</p>
<table><tr><th>Status</th><th>Code</th><th>Meaning</th></tr>${errorRows}</table>
<h2>Schemas</h2>${schemaSections}</body></html>`;
}

export function registerDocsRoutes(app: FastifyInstance, consoleEnabled: boolean): void {
  const doc = buildOpenApi();
  const page = renderDocsPage(doc);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  // The address `semarize up` prints is opened in a browser: show the console (or the reference).
  app.get('/', async (_request, reply) => reply.redirect(consoleEnabled ? '/console' : '/docs', 302));
}
