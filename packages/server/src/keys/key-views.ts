import type { ApiKeyRecord } from './records.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public shape of a key: everything but its secret and hash. */
export function keyView(key: ApiKeyRecord) {
  return {
    id: key.id,
    object: 'api_key' as const,
    hint: key.hint,
    role: key.role,
    mode: key.mode,
    name: key.name,
    created_at: iso(key.createdAt)!,
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
    last_used_at: iso(key.lastUsedAt),
  };
}
