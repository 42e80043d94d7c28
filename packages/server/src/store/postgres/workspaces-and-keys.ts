import type { ConsoleSessionRecord } from '../../console/records.ts';
import type { ApiKeyRecord } from '../../keys/records.ts';
import type { WorkspaceRecord } from '../../workspaces/records.ts';
import {
  CONSOLE_SESSION_DELETE,
  CONSOLE_SESSION_DELETE_EXPIRED,
  CONSOLE_SESSION_GET,
  CONSOLE_SESSION_INSERT,
  sessionParams,
  toSessionWithKey,
} from '../console-session-sql.ts';
import { API_KEY_COUNT_LIVE_ADMIN, isLiveAdminKey } from '../key-revocation.ts';
import * as keySql from '../key-sql.ts';
import type { KeyStore, RevokeKeyOutcome } from '../key-store.ts';
import type { KeyUse } from '../records.ts';
import { toApiKey, toWorkspace } from '../row-mappers.ts';
import type { PostgresDatabase, Sql } from './database.ts';

export async function workspaceCount(db: Sql): Promise<number> {
  return Number((await db.get(keySql.WORKSPACE_COUNT))?.['n'] ?? 0);
}

/** A workspace and its queued-runs count (kept by triggers on runs), in one statement. */
export async function workspaceInsert(db: Sql, w: WorkspaceRecord): Promise<void> {
  await db.run(
    `WITH workspace AS (INSERT INTO workspaces (id, name, created_at) VALUES ($id, $name, $createdAt) RETURNING id)
     INSERT INTO workspace_queues (workspace_id, queued) SELECT id, 0 FROM workspace`,
    {
      id: w.id,
      name: w.name,
      createdAt: w.createdAt,
    },
  );
}

export async function workspaceGetByName(db: Sql, name: string): Promise<WorkspaceRecord | null> {
  const row = await db.get(keySql.WORKSPACE_GET_BY_NAME, { name });
  return row ? toWorkspace(row) : null;
}

export async function apiKeyInsert(db: Sql, k: ApiKeyRecord): Promise<void> {
  await db.run(keySql.API_KEY_INSERT, keySql.apiKeyParams(k));
}

export async function apiKeyGetByHash(db: Sql, keyHash: string): Promise<ApiKeyRecord | null> {
  const row = await db.get(keySql.API_KEY_GET_BY_HASH, { keyHash });
  return row ? toApiKey(row) : null;
}

export async function apiKeyList(db: Sql, workspaceId: string | null): Promise<ApiKeyRecord[]> {
  const rows =
    workspaceId === null
      ? await db.all(keySql.API_KEY_LIST_UNSCOPED)
      : await db.all(keySql.API_KEY_LIST, {
          workspaceId,
        });
  return rows.map(toApiKey);
}

export async function apiKeyRevokeUnscoped(db: Sql, keyId: string, at: number): Promise<boolean> {
  return (
    (await db.run(keySql.API_KEY_REVOKE_UNSCOPED, {
      keyId,
      at,
    })) > 0
  );
}

/** The whole batch in one statement. */
export async function apiKeyRecordUse(db: Sql, uses: readonly KeyUse[]): Promise<void> {
  if (uses.length === 0) return;
  await db.run(
    `UPDATE api_keys AS k SET last_used_at = u.at
       FROM unnest($keyIds::text[], $ats::bigint[]) AS u(id, at)
      WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
    { keyIds: uses.map((u) => u.keyId), ats: uses.map((u) => u.at) },
  );
}

export async function apiKeyRevoke(
  db: PostgresDatabase,
  workspaceId: string,
  keyId: string,
  at: number,
): Promise<RevokeKeyOutcome> {
  return db.transaction(async (tx): Promise<RevokeKeyOutcome> => {
    // Revocations in one workspace take turns on its row, so two admins revoking each other's
    // keys at once cannot both pass the last-admin check.
    await tx.get('SELECT id FROM workspaces WHERE id = $workspaceId FOR UPDATE', { workspaceId });
    const row = await tx.get(keySql.API_KEY_GET, {
      keyId,
      workspaceId,
    });
    if (!row) return { result: 'not_found' };
    const key = toApiKey(row);
    if (key.revokedAt !== null) return { result: 'already_revoked', key };
    if (
      isLiveAdminKey(key, at) &&
      Number((await tx.get(API_KEY_COUNT_LIVE_ADMIN, { workspaceId, at }))?.['n']) <= 1
    ) {
      return { result: 'last_admin_key' };
    }
    await tx.run(keySql.API_KEY_REVOKE_CHECKED, { keyId, at });
    return { result: 'revoked', key: { ...key, revokedAt: at } };
  });
}

export async function consoleSessionInsert(db: PostgresDatabase, s: ConsoleSessionRecord): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(CONSOLE_SESSION_DELETE_EXPIRED, { now: s.createdAt });
    await tx.run(CONSOLE_SESSION_INSERT, sessionParams(s));
  });
}

export async function consoleSessionGet(db: Sql, tokenHash: string) {
  const row = await db.get(CONSOLE_SESSION_GET, { tokenHash });
  return row ? toSessionWithKey(row) : null;
}

export async function consoleSessionDelete(db: Sql, tokenHash: string): Promise<void> {
  await db.run(CONSOLE_SESSION_DELETE, { tokenHash });
}

/** The PostgreSQL KeyStore, from the statements above. */
export function postgresKeyStore(db: PostgresDatabase): KeyStore {
  return {
    workspaceCount: () => workspaceCount(db),
    workspaceInsert: (w) => workspaceInsert(db, w),
    workspaceGetByName: (name) => workspaceGetByName(db, name),
    apiKeyInsert: (k) => apiKeyInsert(db, k),
    apiKeyGetByHash: (h) => apiKeyGetByHash(db, h),
    apiKeyList: (w) => apiKeyList(db, w),
    apiKeyRevokeUnscoped: (id, at) => apiKeyRevokeUnscoped(db, id, at),
    apiKeyRecordUse: (uses) => apiKeyRecordUse(db, uses),
    apiKeyRevoke: (w, id, at) => apiKeyRevoke(db, w, id, at),
    consoleSessionInsert: (s) => consoleSessionInsert(db, s),
    consoleSessionGet: (h) => consoleSessionGet(db, h),
    consoleSessionDelete: (h) => consoleSessionDelete(db, h),
  };
}
