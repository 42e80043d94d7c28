import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.ts';

/**
 * A request header as the client sent it: its value, or every value when it came more than once.
 * Node's `headers` hides repeats (joins most with ", ", keeps the first Authorization or
 * Content-Type), so two keys would pass as one.
 */
export function sentHeader(request: FastifyRequest, name: string): string | string[] | undefined {
  const values = request.raw.headersDistinct[name];
  if (!values) return undefined;
  return values.length === 1 ? values[0] : values;
}

/** 400 `invalid_request` when a header that must be single was sent twice (SPEC §9.5). */
export function rejectRepeatedHeader(request: FastifyRequest, name: string): void {
  if ((request.raw.headersDistinct[name.toLowerCase()]?.length ?? 0) > 1) {
    throw new ApiError('invalid_request', {
      message: `Send one ${name} header.`,
      detail: { reason: 'repeated_header', header: name },
    });
  }
}
