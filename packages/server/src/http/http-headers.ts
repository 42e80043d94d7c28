/**
 * The headers the API reads and sends beyond HTTP's own, written once: route definitions name
 * them, the OpenAPI document describes them from here, and the response test checks them.
 */

/** A request id the client may choose; anything else is replaced by a generated one. */
export const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      'The request id: the X-Request-Id the client sent (1–128 printable characters), else "req_" + ULID. ' +
      'Also request_id in error bodies and the server log.',
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  },
  'Retry-After': {
    description: 'Seconds to wait before polling again (an unfinished run) or retrying (429, 503).',
    schema: { type: 'integer', minimum: 0 },
  },
  Location: {
    description: 'Where the created (or replayed) resource is read.',
    schema: { type: 'string', example: '/v1/runs/run_01J9ZK6S4N6W2Y0D5R3T7V8X9A' },
  },
  'Idempotent-Replayed': {
    description: 'The Idempotency-Key was seen before: this is the original run, not a new one.',
    schema: { type: 'string', enum: ['true'] },
  },
  'Preference-Applied': {
    description: 'The wait the server honoured for Prefer: wait=N (capped by the server’s sync wait).',
    schema: { type: 'string', example: 'wait=10' },
  },
  'RateLimit-Policy': {
    description:
      'The key’s bucket (create or read): q requests per w seconds (IETF RateLimit header fields). ' +
      'Absent when the server runs without rate limits.',
    schema: { type: 'string', example: '"create";q=60;w=60' },
  },
  RateLimit: {
    description: 'What is left in the bucket: r requests, full again in t seconds.',
    schema: { type: 'string', example: '"create";r=59;t=1' },
  },
  ETag: {
    description:
      'A weak validator of the answer, per key: send it back in If-None-Match to be answered 304 when nothing changed.',
    schema: { type: 'string', example: 'W/"3q2-7wz9Rk3p1fQx0bTQ"' },
  },
  'Cache-Control': {
    description: 'private, no-cache: the answer depends on the key, and is revalidated on every poll.',
    schema: { type: 'string', example: 'private, no-cache' },
  },
  Vary: {
    description: 'Authorization, Cookie: caches keep one answer per caller.',
    schema: { type: 'string', example: 'Authorization, Cookie' },
  },
  'WWW-Authenticate': {
    description: 'How to authenticate (RFC 6750); on 401 from /mcp.',
    schema: { type: 'string' },
  },
} as const;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Request headers an operation can name (X-Request-Id is on every operation). */
export const REQUEST_HEADERS = {
  'X-Request-Id': {
    description:
      'Your id for this request (1–128 printable ASCII characters), echoed in the X-Request-Id response ' +
      'header and request_id; anything else is replaced by a generated one.',
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: REQUEST_ID.source },
  },
  'Idempotency-Key': {
    description:
      '1–254 printable ASCII characters (a quoted structured-field string is unwrapped). Retries with the ' +
      'same key and request return the original run; the same key with another request is 409.',
    schema: { type: 'string', minLength: 1, maxLength: 254, example: 'order-1234-call-summary' },
  },
  'If-None-Match': {
    description: 'An ETag of an earlier answer: 304 with no body when the answer is still the same.',
    schema: { type: 'string', example: 'W/"3q2-7wz9Rk3p1fQx0bTQ"' },
  },
  Prefer: {
    description:
      '`wait=N` (1–60): hold the request until the run is terminal or N seconds pass (RFC 7240). ' +
      'Other preferences are ignored.',
    schema: { type: 'string', example: 'wait=10' },
  },
} as const;

export type RequestHeaderName = keyof typeof REQUEST_HEADERS;
