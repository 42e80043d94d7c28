import type { ConsoleSessionRecord } from '../console/records.ts';
import type { ApiKeyRecord } from '../keys/records.ts';
import { type Row, toApiKey, toConsoleSession } from './row-mappers.ts';

/** Both dialects: a session with its key in one read (session columns renamed where they clash). */
export const CONSOLE_SESSION_GET = `SELECT k.*, s.token_hash, s.key_id, s.csrf_token,
    s.created_at AS session_created_at, s.expires_at AS session_expires_at
  FROM console_sessions s JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = $tokenHash`;

export const CONSOLE_SESSION_INSERT = `INSERT INTO console_sessions
  (token_hash, key_id, csrf_token, created_at, expires_at)
  VALUES ($tokenHash, $keyId, $csrfToken, $createdAt, $expiresAt)`;

/** Sign-ins are rare: each one sweeps the expired ones, so the table stays small without a job. */
export const CONSOLE_SESSION_DELETE_EXPIRED = 'DELETE FROM console_sessions WHERE expires_at <= $now';

export const CONSOLE_SESSION_DELETE = 'DELETE FROM console_sessions WHERE token_hash = $tokenHash';

export function toSessionWithKey(row: Row): { session: ConsoleSessionRecord; key: ApiKeyRecord } {
  return {
    key: toApiKey(row),
    session: toConsoleSession({
      ...row,
      created_at: row['session_created_at'],
      expires_at: row['session_expires_at'],
    }),
  };
}

export const sessionParams = (s: ConsoleSessionRecord) => ({
  tokenHash: s.tokenHash,
  keyId: s.keyId,
  csrfToken: s.csrfToken,
  createdAt: s.createdAt,
  expiresAt: s.expiresAt,
});
