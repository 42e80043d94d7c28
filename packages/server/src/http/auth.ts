import type { Clock } from '../clock.ts';
import { csrfMatches, resumeSession, usableKey } from '../console/console-sessions.ts';
import { ApiError } from '../errors/api-error.ts';
import { sha256Hex } from '../ids.ts';
import type { Caller } from '../keys/caller.ts';
import type { ApiKeyRecord, KeyRole } from '../keys/records.ts';
import type { Store } from '../store/store.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a route asks of its caller's key. */
export interface RouteAccess {
  role: KeyRole;
  /** Writes that change what live runs do (Kits, Bricks) need a live key (SPEC §9.1). */
  liveOnly?: boolean;
}

/** How a request says who it is: a bearer key, or a console session cookie (SPEC §12). */
export interface Credentials {
  authorization: string | undefined;
  sessionToken: string | null;
  /** The X-CSRF-Token header: a session's writes must carry its token. */
  csrfToken: string | undefined;
  /** Anything but GET/HEAD. */
  isWrite: boolean;
}

/**
 * Resolves the request's key, or throws the SPEC §2 auth error. A bearer header wins over a cookie;
 * a session may do exactly what its key may, and its writes need the session's CSRF token.
 */
export async function authenticate(
  store: Store,
  clock: Clock,
  credentials: Credentials,
  required: RouteAccess,
): Promise<Caller> {
  const key = await keyOf(store, clock, credentials);
  const caller: Caller = { keyId: key.id, workspaceId: key.workspaceId, mode: key.mode, role: key.role };
  const refusal = accessRefusal(caller, required);
  if (refusal) throw refusal;
  return caller;
}

/** Why this caller may not do what `required` asks (SPEC §1, §9.1), or null when it may. */
export function accessRefusal(caller: Caller, required: RouteAccess): ApiError | null {
  if (required.liveOnly && caller.mode === 'test') {
    return new ApiError('forbidden', {
      message: 'Test keys cannot change Kits or Bricks; use a live admin key.',
      detail: { reason: 'test_mode' },
    });
  }
  if (required.role === 'admin' && caller.role !== 'admin') {
    return new ApiError('forbidden', { detail: { reason: 'role', required_role: 'admin' } });
  }
  return null;
}

async function keyOf(store: Store, clock: Clock, credentials: Credentials): Promise<ApiKeyRecord> {
  if (credentials.authorization === undefined && credentials.sessionToken !== null) {
    const session = await resumeSession({ store, clock }, credentials.sessionToken);
    if (credentials.isWrite && !csrfMatches(credentials.csrfToken, session.csrfToken)) {
      throw new ApiError('csrf_token_invalid');
    }
    return session.key;
  }
  const match = credentials.authorization ? BEARER.exec(credentials.authorization) : null;
  if (!match) throw new ApiError('missing_bearer_token');
  return usableKey(await store.apiKeyGetByHash(sha256Hex(match[1]!)), clock.now());
}
