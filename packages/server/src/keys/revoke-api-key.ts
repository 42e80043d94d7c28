import type { Clock } from '../clock.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Store } from '../store/store.ts';
import type { Caller } from './caller.ts';
import type { ApiKeyRecord } from './records.ts';

/** Revokes a key of the caller's workspace; revoking a revoked key again changes nothing. */
export async function revokeApiKey(
  deps: { store: Store; clock: Clock },
  caller: Caller,
  keyId: string,
): Promise<ApiKeyRecord> {
  const outcome = await deps.store.apiKeyRevoke(caller.workspaceId, keyId, deps.clock.now());
  switch (outcome.result) {
    case 'not_found':
      throw new ApiError('api_key_not_found');
    case 'last_admin_key':
      throw new ApiError('last_admin_key');
    default:
      return outcome.key;
  }
}
