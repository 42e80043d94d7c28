/** The one catalog of request-level errors (SPEC §2): code → status and default message. */
export const ERROR_CATALOG = {
  invalid_json: { status: 400, message: 'The request body must be a JSON object.' },
  kit_code_or_kit_version_id_required: {
    status: 400,
    message: 'Name a Kit with kit_code or kit_version_id.',
  },
  input_must_be_object: { status: 400, message: 'input is required and must be a JSON object.' },
  invalid_run_type: { status: 400, message: 'type must be "api" or "sandbox".' },
  invalid_run_mode: { status: 400, message: 'mode must be "async" or "sync".' },
  invalid_idempotency_key: {
    status: 400,
    message: 'Idempotency-Key must be 1–254 printable ASCII characters.',
  },
  invalid_request: { status: 400, message: 'The request has invalid fields; see detail.' },
  missing_bearer_token: { status: 401, message: 'Send an API key as "Authorization: Bearer <key>".' },
  invalid_api_key: { status: 401, message: 'The API key is unknown or has been revoked.' },
  api_key_expired: { status: 401, message: 'The API key has expired.' },
  session_expired: {
    status: 401,
    message: 'The console session has ended (signed out or 12 hours passed); sign in again.',
  },
  forbidden: { status: 403, message: "This API key's role does not allow this request." },
  csrf_token_invalid: {
    status: 403,
    message: 'A console session must send its CSRF token in the X-CSRF-Token header on every write.',
  },
  not_found: { status: 404, message: 'No such route.' },
  kit_not_found: { status: 404, message: 'No such Kit in this workspace.' },
  run_not_found: { status: 404, message: 'No such run in this workspace.' },
  brick_not_found: { status: 404, message: 'No such Brick in this workspace.' },
  webhook_not_found: { status: 404, message: 'No such webhook endpoint in this workspace.' },
  delivery_not_found: { status: 404, message: 'No such webhook delivery in this workspace.' },
  api_key_not_found: { status: 404, message: 'No such API key in this workspace.' },
  method_not_allowed: { status: 405, message: 'This endpoint does not answer this method.' },
  request_timeout: {
    status: 408,
    message: 'The request did not arrive in time (headers and body); the connection is closed.',
  },
  idempotency_key_conflict: {
    status: 409,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  run_not_cancellable: { status: 409, message: 'The run already finished and cannot be cancelled.' },
  brick_already_exists: {
    status: 409,
    message: 'A Brick with this key already exists; add a version with POST /v1/bricks/{key}/versions.',
  },
  kit_already_exists: { status: 409, message: 'This Kit code is already in use.' },
  last_admin_key: {
    status: 409,
    message: "This is the workspace's last live admin key; create another admin key before revoking it.",
  },
  limit_reached: { status: 409, message: 'This workspace has reached a limit; see detail.' },
  webhook_endpoint_disabled: {
    status: 409,
    message: 'The webhook endpoint is disabled; enable it with PATCH /v1/webhooks/{id} first.',
  },
  payload_too_large: { status: 413, message: 'The request body is larger than the server accepts.' },
  url_too_long: { status: 414, message: 'The URL or one of its path parameters is too long.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  kit_not_published: { status: 422, message: 'The Kit has no published version.' },
  input_invalid: { status: 422, message: 'The input cannot be evaluated by this Kit; see detail.' },
  input_too_large: {
    status: 422,
    message: 'The conversation is longer than this server evaluates; see detail for the limits.',
  },
  rate_limited: { status: 429, message: 'Too many requests; retry after the indicated delay.' },
  headers_too_large: { status: 431, message: 'The request headers are too many or too large.' },
  run_request_failed: {
    status: 500,
    message: 'The request could not be processed; retry with the same Idempotency-Key.',
  },
  unavailable: {
    status: 503,
    message: 'The service is temporarily unavailable; retry after the indicated delay.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ApiErrorOptions {
  message?: string;
  detail?: Record<string, unknown>;
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
}

/** An error a route throws to answer with a catalog code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    super(options.message ?? ERROR_CATALOG[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.detail = options.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }
}

/** The flat error body (`ErrorBody` in the document). */
export interface ErrorJson {
  error: ErrorCode;
  message: string;
  detail?: Record<string, unknown>;
  retry_after_seconds?: number;
  request_id: string;
}

/** The flat error body: stable code first. */
export function errorBody(error: ApiError, requestId: string): ErrorJson {
  const body: ErrorJson = { error: error.code, message: error.message } as ErrorJson;
  if (error.detail) body.detail = error.detail;
  if (error.retryAfterSeconds !== undefined) body.retry_after_seconds = error.retryAfterSeconds;
  body.request_id = requestId;
  return body;
}
