import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi.ts';

const require = createRequire(import.meta.url);
const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');
const REDOC_VERSION = (
  JSON.parse(readFileSync(require.resolve('redoc/package.json'), 'utf8')) as { version: string }
).version;
/** Versioned, so browsers may keep it for good. */
const BUNDLE_PATH = `/docs/assets/redoc-${REDOC_VERSION}.standalone.js`;
const INIT_PATH = '/docs/assets/init.js';

// Everything the page loads is this server's: the browser refuses anything else, so the
// reference works offline and sends nothing anywhere. Redoc's search runs in a blob: worker.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Starts Redoc on the document embedded in the page. */
const INIT_SCRIPT = `'use strict';
Redoc.init(JSON.parse(document.getElementById('openapi').textContent), {
  expandResponses: '200,201,202',
  jsonSampleExpandLevel: 3,
  hideDownloadButton: false,
  pathInMiddlePanel: true,
  requiredPropsFirst: true,
  sortRequiredPropsFirst: true,
  theme: {
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
      headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif' },
      code: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' },
    },
  },
}, document.getElementById('reference'));
`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Doc = ReturnType<typeof openApiDocument>;

/** Without scripts: the list of operations and where the machine-readable document is. */
function operationList(doc: Doc): string {
  const paths = doc['paths'] as Record<string, Record<string, { summary: string }>>;
  return Object.entries(paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          `<li><span>${method.toUpperCase()}</span> ${escapeHtml(path)} — ${escapeHtml(op.summary)}</li>`,
      ),
    )
    .join('');
}

/** The reference page: Redoc, served from the package, on the document embedded in the page. */
export function renderDocsPage(doc: Doc): string {
  const info = doc['info'] as { title: string; version: string };
  // JSON inside <script>: only "<" can end the element early.
  const embedded = JSON.stringify(doc).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${escapeHtml(info.title)} ${escapeHtml(info.version)} reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0}noscript{display:block;font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}</style>
</head><body>
<noscript><h1>${escapeHtml(info.title)}</h1><p>The interactive reference needs JavaScript. The document itself is
<a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p><ul>${operationList(doc)}</ul></noscript>
<div id="reference"></div>
<script id="openapi" type="application/json">${embedded}</script>
<script src="${BUNDLE_PATH}"></script>
<script src="${INIT_PATH}"></script>
</body></html>`;
}

export function registerDocsRoutes(app: FastifyInstance, consoleEnabled: boolean): void {
  const doc = openApiDocument();
  const page = renderDocsPage(doc);
  const bundle = readFileSync(REDOC_BUNDLE);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', CSP)
      .header('Cache-Control', 'no-cache')
      .send(page),
  );
  app.get(BUNDLE_PATH, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(bundle),
  );
  app.get(INIT_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(INIT_SCRIPT),
  );
  // The address `semarize up` prints is opened in a browser: show the console (or the reference).
  app.get('/', async (_request, reply) => reply.redirect(consoleEnabled ? '/console' : '/docs', 302));
}
