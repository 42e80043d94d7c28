import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  IdempotencyConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from '../errors.ts';
import { parseRetryAfter } from './retry-delay.ts';

/**
 * Messages safe to show an end user, by status. The API's messages are written for developers
 * (they name fields and headers); a `user_message` in the body wins when a server sends one.
 */
function defaultUserMessage(status: number): string {
  if (status === 429) return 'The service is busy right now. Please try again in a moment.';
  if (status >= 500) return 'The service is temporarily unavailable. Please try again later.';
  if (status === 404) return 'The requested analysis could not be found.';
  if (status === 401 || status === 403) return 'This application is not allowed to analyse conversations.';
  return 'This conversation could not be analysed.';
}

function errorClass(status: number, code: string): new (init: APIErrorInit) => APIError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return code === 'idempotency_key_conflict' ? IdempotencyConflictError : ConflictError;
    case 413:
      return PayloadTooLargeError;
    case 415:
      return UnsupportedMediaTypeError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    case 503:
      return ServiceUnavailableError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The typed error for a non-2xx answer. Reads the API's flat error body
 * (`{error, message, detail, request_id, retry_after_seconds}`) and copes with anything else a proxy
 * may answer (HTML, empty).
 */
export function errorFromResponse(status: number, headers: Headers, text: string, now: number): APIError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) body = parsed;
  } catch {
    // not JSON: a proxy or load balancer answered
  }
  const code = typeof body['error'] === 'string' ? body['error'] : `http_${status}`;
  const message =
    typeof body['message'] === 'string'
      ? body['message']
      : `The server answered ${status}${text ? `: ${text.slice(0, 200)}` : '.'}`;
  const headerRetryAfter = parseRetryAfter(headers.get('retry-after'), now);
  const bodyRetryAfter = typeof body['retry_after_seconds'] === 'number' ? body['retry_after_seconds'] : null;
  const ErrorClass = errorClass(status, code);
  return new ErrorClass({
    status,
    code,
    message,
    userMessage: typeof body['user_message'] === 'string' ? body['user_message'] : defaultUserMessage(status),
    requestId:
      typeof body['request_id'] === 'string' ? body['request_id'] : (headers.get('x-request-id') ?? null),
    retryAfter: headerRetryAfter ?? bodyRetryAfter,
    detail: isRecord(body['detail']) ? body['detail'] : null,
    headers,
  });
}
