import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody } from '../errors/api-error.ts';
import { StoreUnavailableError } from '../store/store-unavailable.ts';

/** Maps framework errors (routing, body parsing, limits) to the catalog; anything else is unexpected. */
export function toApiError(error: FastifyError, isCreate: boolean): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ApiError('unavailable', { retryAfterSeconds: 5 });
  }
  // The router's: never echo the URL, which may be kilobytes long.
  if (error.code === 'FST_ERR_BAD_URL')
    return new ApiError('invalid_request', { message: 'The URL is not valid percent-encoding.' });
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new ApiError('url_too_long');
  if (error.statusCode === 413) return new ApiError('payload_too_large');
  if (error.statusCode === 415) return new ApiError('unsupported_media_type');
  if (error.code?.startsWith('FST_ERR_CTP_') && error.statusCode === 400) return new ApiError('invalid_json');
  if (error.statusCode === 400) return new ApiError('invalid_request', { message: error.message });
  if (isCreate) return new ApiError('run_request_failed');
  return new ApiError('run_request_failed', {
    message: 'The request could not be processed; retry shortly.',
  });
}

/**
 * A body is announced and has not all arrived. `complete` alone is not enough: an error thrown
 * right after the headers is answered before Node marks a body that came in the same packet.
 */
function bodyStillArriving(raw: IncomingMessage): boolean {
  if (raw.complete) return false;
  if (raw.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(raw.headers['content-length'] ?? 0);
  return length > 0 && raw.readableLength < length;
}

/** Sends a catalog error: the flat body, `X-Request-Id`, `Retry-After` and the error's own headers. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): void {
  reply.header('X-Request-Id', request.id);
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  reply.headers(error.headers);
  // Answered before the body was read (401, 413, 415…): close instead of letting Node drain the
  // rest, which a client could make as long as it likes (SPEC §9.4).
  if (bodyStillArriving(request.raw)) reply.header('Connection', 'close');
  void reply.status(error.status).type('application/json').send(errorBody(error, request.id));
}
