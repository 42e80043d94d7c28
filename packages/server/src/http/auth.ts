import type { Clock } from '../clock.ts';
import { sha256Hex } from '../ids.ts';
import type { Caller } from '../keys/caller.ts';
import type { KeyRole } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { ApiError } from './api-error.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a route asks of its caller's key. */
export interface RouteAccess {
  role: KeyRole;
  /** Writes that change what live runs do (Kits, Bricks) need a live key (SPEC §9.1). */
  liveOnly?: boolean;
}

/** Resolves `Authorization: Bearer <key>` to a caller, or throws the SPEC §2 auth error. */
export async function authenticate(
  store: Store,
  clock: Clock,
  header: string | undefined,
  required: RouteAccess,
): Promise<Caller> {
  const match = header ? BEARER.exec(header) : null;
  if (!match) throw new ApiError('missing_bearer_token');
  const key = await store.findApiKeyByHash(sha256Hex(match[1]!));
  if (!key || key.revokedAt !== null) throw new ApiError('invalid_api_key');
  if (key.expiresAt !== null && key.expiresAt <= clock.now()) throw new ApiError('api_key_expired');
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
