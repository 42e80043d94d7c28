import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';
import { invalidRequest } from '../errors/invalid-request.ts';
import { keyView } from '../keys/key-views.ts';
import type { RunsDeps } from '../runs/deps.ts';
import { csrfMatches, resumeSession, signIn, signOut } from './console-sessions.ts';
import { CSRF_HEADER, clearedSessionCookie, sessionCookie, sessionTokenOf } from './session-cookie.ts';
import { type Asset, asset, loadAssetDir, loadVendorModules } from './static-assets.ts';

const ASSETS_DIR = join(import.meta.dirname, 'assets');
const VENDOR_PREFIX = '/console/vendor/';

const SignInBody = z.object({ api_key: z.string().min(1).max(200) }).strict();

/** The console's own files change with a release: revalidate (cheap 304s), never serve stale. */
const REVALIDATE = 'no-cache';
/** Vendor file names carry their content hash. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function sendAsset(request: FastifyRequest, reply: FastifyReply, file: Asset, cacheControl: string) {
  reply
    .header('ETag', file.etag)
    .header('Cache-Control', cacheControl)
    .header('X-Content-Type-Options', 'nosniff');
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  return reply.type(file.type).send(file.body);
}

/** The page, with the import map inline (allowed by its hash, so no other inline script runs). */
function renderIndex(template: Asset, importMap: object): { page: Asset; csp: string } {
  const mapJson = JSON.stringify(importMap);
  const html = template.body.toString('utf8').replace('{"imports":{}}', mapJson);
  const mapHash = createHash('sha256').update(mapJson).digest('base64');
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${mapHash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  return { page: asset(Buffer.from(html), 'index.html'), csp };
}

/**
 * The console (SPEC §12): static files, and the sign-in that exchanges an API key for a session
 * cookie. Everything else it does goes through the public /v1 API with that cookie.
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const appFiles = loadAssetDir(ASSETS_DIR);
  const vendor = loadVendorModules(VENDOR_PREFIX);
  const { page, csp } = renderIndex(appFiles.get('index.html')!, vendor.importMap);
  appFiles.delete('index.html');

  const sendPage = (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Content-Security-Policy', csp).header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    return sendAsset(request, reply, page, REVALIDATE);
  };
  app.get('/console', sendPage);

  app.get<{ Params: { '*': string } }>('/console/assets/*', async (request, reply) => {
    const file = appFiles.get(request.params['*']);
    if (!file) throw new ApiError('not_found', { message: 'No such console file.' });
    return sendAsset(request, reply, file, REVALIDATE);
  });

  app.get<{ Params: { file: string } }>('/console/vendor/:file', async (request, reply) => {
    const file = vendor.files.get(request.params.file);
    if (!file) throw new ApiError('not_found', { message: 'No such console file.' });
    return sendAsset(request, reply, file, IMMUTABLE);
  });

  const secure = (request: FastifyRequest) => request.protocol === 'https';

  /** A sign-in or sign-out from another site's page is refused, whatever its cookies. */
  const sameOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
      throw new ApiError('forbidden', {
        message: 'Console sign-in is accepted from the console itself only.',
        detail: { reason: 'cross_origin' },
      });
    }
  };

  const sessionView = (session: Awaited<ReturnType<typeof resumeSession>>) => {
    const { id, hint, role, mode, name } = keyView(session.key);
    return {
      object: 'console_session',
      csrf_token: session.csrfToken,
      expires_at: new Date(session.expiresAt).toISOString(),
      key: { id, hint, role, mode, name },
    };
  };

  app.post('/console/session', async (request, reply) => {
    sameOrigin(request);
    const parsed = SignInBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const session = await signIn(deps, parsed.data.api_key.trim());
    const maxAge = Math.round((session.expiresAt - deps.clock.now()) / 1_000);
    reply.header('Set-Cookie', sessionCookie(session.token, maxAge, secure(request)));
    reply.header('Cache-Control', 'no-store');
    return reply.status(201).send(sessionView(session));
  });

  app.get('/console/session', async (request, reply) => {
    const token = sessionTokenOf(request.headers.cookie);
    if (!token) throw new ApiError('session_expired', { message: 'Not signed in.' });
    reply.header('Cache-Control', 'no-store');
    return sessionView(await resumeSession(deps, token));
  });

  app.delete('/console/session', async (request, reply) => {
    sameOrigin(request);
    const token = sessionTokenOf(request.headers.cookie);
    if (token) {
      const session = await resumeSession(deps, token).catch(() => null);
      // Only the console itself may sign its user out; an ended session just clears its cookie.
      const csrf = request.headers[CSRF_HEADER];
      if (session && !csrfMatches(typeof csrf === 'string' ? csrf : undefined, session.csrfToken)) {
        throw new ApiError('csrf_token_invalid');
      }
      await signOut(deps, token);
    }
    reply.header('Set-Cookie', clearedSessionCookie(secure(request)));
    return reply.status(204).send();
  });
}
