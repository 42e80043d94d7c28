import type { Run } from './types/run.ts';

/** Base of every error the client throws (an aborted call rejects with its signal's reason instead). */
export class SemarizeError extends Error {
  override name = 'SemarizeError';
}

export interface APIErrorInit {
  status: number;
  code: string;
  message: string;
  userMessage: string;
  requestId: string | null;
  retryAfter: number | null;
  detail: Record<string, unknown> | null;
  headers: Headers;
}

/** The server answered with an error status. Subclasses name the status; `code` is the stable API code. */
export class APIError extends SemarizeError {
  override name = 'APIError';
  readonly status: number;
  /** The stable error code of the API, e.g. `kit_not_found`, `rate_limited`. */
  readonly code: string;
  /** A message that is safe to show an end user. */
  readonly userMessage: string;
  /** The server's request id (`X-Request-Id`), for support and logs. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait before retrying (`Retry-After`), when it said. */
  readonly retryAfter: number | null;
  /** Extra structured detail, e.g. the invalid fields. */
  readonly detail: Record<string, unknown> | null;
  readonly headers: Headers;

  constructor(init: APIErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.userMessage = init.userMessage;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.detail = init.detail;
    this.headers = init.headers;
  }
}

/** 400: the request is malformed (`invalid_request`, `input_must_be_object`, …). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/** 401: missing, unknown, revoked or expired API key. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** 403: the key's role does not allow this request. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** 404: no such run or Kit in this workspace. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** 409: e.g. `run_not_cancellable`. */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** 409 `idempotency_key_conflict`: the key was first used with a different request. */
export class IdempotencyConflictError extends ConflictError {
  override name = 'IdempotencyConflictError';
}
/** 413: the body is larger than the server accepts. */
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}
/** 415: the body was not sent as JSON. */
export class UnsupportedMediaTypeError extends APIError {
  override name = 'UnsupportedMediaTypeError';
}
/** 422: `kit_not_published`, `input_invalid`. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
/** 429: rate limited, or the workspace's queue is full (`detail.reason: "queue_full"`). */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** 5xx: the server failed; creates can be retried safely with the same idempotency key. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}
/** 503: storage unreachable or the server is shutting down. */
export class ServiceUnavailableError extends InternalServerError {
  override name = 'ServiceUnavailableError';
}

/** The request never got an answer: refused, reset, DNS failure. */
export class ConnectionError extends SemarizeError {
  override name = 'ConnectionError';
}
/** One request took longer than its timeout. */
export class RequestTimeoutError extends ConnectionError {
  override name = 'RequestTimeoutError';
}

/** A wait ran out of time before the run finished. The run keeps going on the server. */
export class WaitTimeoutError extends SemarizeError {
  override name = 'WaitTimeoutError';
  readonly runId: string;
  /** The run as last seen, or null if it was never read. */
  readonly run: Run | null;

  constructor(runId: string, run: Run | null, options?: { cause?: unknown }) {
    super(`Run ${runId} did not finish in time (last status: ${run?.status ?? 'unknown'}).`, options);
    this.runId = runId;
    this.run = run;
  }
}

/** A webhook delivery did not verify: bad or missing signature, stale timestamp, not an event. */
export class WebhookVerificationError extends SemarizeError {
  override name = 'WebhookVerificationError';
}
