import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The lists the console polls: a poll that finds nothing changed is answered 304 with no body.
 * The ETag is a hash of the answer, so it needs no version column and is right for any filter.
 */
const CONDITIONAL_ROUTES: ReadonlySet<string> = new Set(['/v1/runs', '/v1/webhooks/:id/deliveries']);

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** RFC 9110 §13.1.2: weak comparison against each listed tag, or `*`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = header.split(',').map(opaque);
  return tags.includes('*') || tags.includes(opaque(etag));
}

export function registerConditionalGet(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (!CONDITIONAL_ROUTES.has(request.routeOptions.url ?? '')) return payload;
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 22)}"`;
    // Per caller (the answer depends on the key), and always revalidated.
    reply
      .header('ETag', etag)
      .header('Cache-Control', 'private, no-cache')
      .header('Vary', 'Authorization, Cookie');
    if (!noneMatch(request.headers['if-none-match'], etag)) return payload;
    reply.code(304).removeHeader('content-type');
    return '';
  });
}
