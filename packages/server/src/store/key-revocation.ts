import type { ApiKeyRecord } from '../keys/records.ts';

/** SQL for "live admin keys of a workspace at $at": the keys that can still manage it. */
export const API_KEY_COUNT_LIVE_ADMIN = `SELECT count(*) AS n FROM api_keys
  WHERE workspace_id = $workspaceId AND mode = 'live' AND role = 'admin' AND revoked_at IS NULL
    AND (expires_at IS NULL OR expires_at > $at)`;

export function isLiveAdminKey(key: ApiKeyRecord, at: number): boolean {
  return (
    key.mode === 'live' &&
    key.role === 'admin' &&
    key.revokedAt === null &&
    (key.expiresAt === null || key.expiresAt > at)
  );
}
