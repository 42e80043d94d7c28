import type { Clock } from '../clock.ts';
import { type IdGenerator, newApiKeySecret, sha256Hex } from '../ids.ts';
import type { Store } from '../store/store.ts';
import type { ApiKeyRecord, KeyMode, KeyRole } from './records.ts';

/** A display hint that identifies a key without revealing it: prefix and last 4 characters. */
export function keyHint(secret: string): string {
  return `${secret.slice(0, 9)}…${secret.slice(-4)}`;
}

/** Creates a key and returns its secret, the only time the secret exists outside the caller. */
export async function createApiKey(
  deps: { store: Store; clock: Clock; ids: IdGenerator },
  options: {
    workspaceId: string;
    mode: KeyMode;
    role: KeyRole;
    name?: string | null;
    /** An absolute expiry; or `expiresInMs`, counted from the creation time (one clock read). */
    expiresAt?: number | null;
    expiresInMs?: number | null;
  },
): Promise<{ secret: string; record: ApiKeyRecord }> {
  const secret = newApiKeySecret(options.mode);
  const createdAt = deps.clock.now();
  const expiresAt =
    options.expiresInMs != null ? createdAt + options.expiresInMs : (options.expiresAt ?? null);
  const record: ApiKeyRecord = {
    id: `key_${deps.ids.ulid()}`,
    workspaceId: options.workspaceId,
    keyHash: sha256Hex(secret),
    hint: keyHint(secret),
    mode: options.mode,
    role: options.role,
    name: options.name ?? null,
    createdAt,
    expiresAt,
    revokedAt: null,
    lastUsedAt: null,
  };
  await deps.store.apiKeyInsert(record);
  return { secret, record };
}
