import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResponseSpec } from './route.ts';

/**
 * The lists the console polls: a poll that finds nothing changed is answered 304 with no body.
 * The ETag is a hash of the answer, so it needs no version column and is right for any filter.
 * Which operations answer so is what their route declares: a 304 response.
 */
export const CONDITIONAL_HEADERS = { ETag: true, 'Cache-Control': true, Vary: true } as const;
export const NOT_MODIFIED: ResponseSpec = {
  description: 'Nothing changed since the ETag sent in If-None-Match: no body',
  schema: null,
  headers: CONDITIONAL_HEADERS,
};

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** RFC 9110 §13.1.2: weak comparison against each listed tag, or `*`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = header.split(',').map(opaque);
  return tags.includes('*') || tags.includes(opaque(etag));
}

/**
 * The onSend hook of the routes that declare a 304 (registerRoutes attaches it to those alone: a
 * hook on every route would put an extra promise turn before every answer's write).
 */
export async function answerNotModified(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
  const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 22)}"`;
  // Per caller (the answer depends on the key), and always revalidated.
  reply
    .header('ETag', etag)
    .header('Cache-Control', 'private, no-cache')
    .header('Vary', 'Authorization, Cookie');
  if (!noneMatch(request.headers['if-none-match'], etag)) return payload;
  reply.code(304).removeHeader('content-type');
  return '';
}
