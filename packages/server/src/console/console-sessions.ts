import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import { sha256Hex } from '../ids.ts';
import type { ApiKeyRecord } from '../keys/records.ts';
import type { Store } from '../store/store.ts';

/** How long a sign-in lasts (SPEC §12); never past the key's own expiry. */
export const SESSION_TTL_MS = 12 * 3_600 * 1_000;

export interface ConsoleSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
  key: ApiKeyRecord;
}

/** The checks every credential passes, bearer or session: the key exists, is not revoked or expired. */
export function usableKey(key: ApiKeyRecord | null, now: number): ApiKeyRecord {
  if (!key || key.revokedAt !== null) throw new ApiError('invalid_api_key');
  if (key.expiresAt !== null && key.expiresAt <= now) throw new ApiError('api_key_expired');
  return key;
}

const newToken = () => randomBytes(32).toString('base64url');

/** Exchanges an API key for a session; the token goes into the cookie and only its hash is stored. */
export async function signIn(deps: { store: Store; clock: Clock }, apiKey: string): Promise<ConsoleSession> {
  const now = deps.clock.now();
  const key = usableKey(await deps.store.apiKeyGetByHash(sha256Hex(apiKey)), now);
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = Math.min(now + SESSION_TTL_MS, key.expiresAt ?? Number.POSITIVE_INFINITY);
  await deps.store.consoleSessionInsert({
    tokenHash: sha256Hex(token),
    keyId: key.id,
    csrfToken,
    createdAt: now,
    expiresAt,
  });
  return { token, csrfToken, expiresAt, key };
}

/**
 * The session behind a cookie's token, with its key as it stands now: a revoked or expired key ends
 * every session made with it.
 */
export async function resumeSession(
  deps: { store: Store; clock: Clock },
  token: string,
): Promise<Omit<ConsoleSession, 'token'>> {
  const now = deps.clock.now();
  const found = await deps.store.consoleSessionGet(sha256Hex(token));
  if (!found || found.session.expiresAt <= now) throw new ApiError('session_expired');
  return {
    csrfToken: found.session.csrfToken,
    expiresAt: found.session.expiresAt,
    key: usableKey(found.key, now),
  };
}

export async function signOut(deps: { store: Store }, token: string): Promise<void> {
  await deps.store.consoleSessionDelete(sha256Hex(token));
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
