import type { ApiKeyRecord } from '../keys/records.ts';

/**
 * The workspace and API key statements both dialects run as they are, written once (with
 * console-session-sql.ts and key-revocation.ts). Creating a workspace with its queue row, and the
 * batch of key uses, differ and stay in each dialect's workspaces-and-keys.ts.
 */

export const WORKSPACE_COUNT = 'SELECT count(*) AS n FROM workspaces';

export const WORKSPACE_GET_BY_NAME = 'SELECT * FROM workspaces WHERE name = $name';

export const API_KEY_INSERT = `INSERT INTO api_keys (id, workspace_id, key_hash, hint, mode, role, name, created_at, expires_at, revoked_at)
  VALUES ($id, $workspaceId, $keyHash, $hint, $mode, $role, $name, $createdAt, $expiresAt, $revokedAt)`;

export const apiKeyParams = (k: ApiKeyRecord) => ({
  id: k.id,
  workspaceId: k.workspaceId,
  keyHash: k.keyHash,
  hint: k.hint,
  mode: k.mode,
  role: k.role,
  name: k.name,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
});

export const API_KEY_GET_BY_HASH = 'SELECT * FROM api_keys WHERE key_hash = $keyHash';

export const API_KEY_LIST_UNSCOPED = 'SELECT * FROM api_keys ORDER BY created_at, id';

export const API_KEY_LIST =
  'SELECT * FROM api_keys WHERE workspace_id = $workspaceId ORDER BY created_at, id';

export const API_KEY_GET = 'SELECT * FROM api_keys WHERE id = $keyId AND workspace_id = $workspaceId';

/** Revokes a key unless it already is revoked (the revocation time is kept). */
export const API_KEY_REVOKE_UNSCOPED =
  'UPDATE api_keys SET revoked_at = $at WHERE id = $keyId AND revoked_at IS NULL';

/** Revokes a key read (and checked) in the same transaction. */
export const API_KEY_REVOKE_CHECKED = 'UPDATE api_keys SET revoked_at = $at WHERE id = $keyId';
