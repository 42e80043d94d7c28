import { StoreUnavailableError } from '../store-unavailable.ts';

/** Node socket errors: the server is down, restarting, unreachable, or dropped the connection. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (08), insufficient
 * resources such as too many connections (53), operator intervention such as an admin shutdown,
 * a crash restart or a cancelled statement (57), and lock timeouts (55P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)|^55P03$/;

/** Transaction conflicts PostgreSQL asks the client to retry. */
const RETRYABLE_SQLSTATE = new Set(['40001', '40P01']);

/** node-postgres reports a lost connection, a pool timeout or a closed pool only in the message. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error and is not queryable|Client was closed|Cannot use a pool after calling end|Connection timeout/i;

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The error says nothing about the query: the database could not be reached or dropped us. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = codeOf(error);
  if (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

export function isRetryableConflict(error: unknown): boolean {
  return RETRYABLE_SQLSTATE.has(codeOf(error));
}

/** Unavailability becomes StoreUnavailableError (HTTP 503 with Retry-After); anything else is a bug. */
export function translateError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (isConnectionError(error) || isRetryableConflict(error)) {
    return new StoreUnavailableError(`PostgreSQL unavailable: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
  return error;
}
