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
import type { SqliteDatabase } from './database.ts';

export function workspaceCount(db: SqliteDatabase): number {
  return Number(db.get(keySql.WORKSPACE_COUNT)?.['n'] ?? 0);
}

/** A workspace and its queued-runs count (kept by triggers on runs), in one transaction. */
export function workspaceInsert(db: SqliteDatabase, w: WorkspaceRecord): void {
  db.transaction(() => {
    db.run('INSERT INTO workspaces (id, name, created_at) VALUES ($id, $name, $createdAt)', {
      id: w.id,
      name: w.name,
      createdAt: w.createdAt,
    });
    db.run('INSERT INTO workspace_queues (workspace_id, queued) VALUES ($id, 0)', { id: w.id });
  });
}

export function workspaceGetByName(db: SqliteDatabase, name: string): WorkspaceRecord | null {
  const row = db.get(keySql.WORKSPACE_GET_BY_NAME, { name });
  return row ? toWorkspace(row) : null;
}

export function apiKeyInsert(db: SqliteDatabase, k: ApiKeyRecord): void {
  db.run(keySql.API_KEY_INSERT, keySql.apiKeyParams(k));
}

export function apiKeyGetByHash(db: SqliteDatabase, keyHash: string): ApiKeyRecord | null {
  const row = db.get(keySql.API_KEY_GET_BY_HASH, { keyHash });
  return row ? toApiKey(row) : null;
}

export function apiKeyList(db: SqliteDatabase, workspaceId: string | null): ApiKeyRecord[] {
  const rows =
    workspaceId === null
      ? db.all(keySql.API_KEY_LIST_UNSCOPED)
      : db.all(keySql.API_KEY_LIST, {
          workspaceId,
        });
  return rows.map(toApiKey);
}

export function apiKeyRevokeUnscoped(db: SqliteDatabase, keyId: string, at: number): boolean {
  return db.run(keySql.API_KEY_REVOKE_UNSCOPED, { keyId, at }) > 0;
}

const API_KEY_RECORD_USE = `UPDATE api_keys SET last_used_at = $at
  WHERE id = $keyId AND (last_used_at IS NULL OR last_used_at < $at)`;

/** One statement per key, in one transaction: a batch holds each key once. */
export function apiKeyRecordUse(db: SqliteDatabase, uses: readonly KeyUse[]): void {
  db.transaction(() => {
    for (const use of uses) db.run(API_KEY_RECORD_USE, { keyId: use.keyId, at: use.at });
  });
}

export function apiKeyRevoke(
  db: SqliteDatabase,
  workspaceId: string,
  keyId: string,
  at: number,
): RevokeKeyOutcome {
  return db.transaction((): RevokeKeyOutcome => {
    const row = db.get(keySql.API_KEY_GET, {
      keyId,
      workspaceId,
    });
    if (!row) return { result: 'not_found' };
    const key = toApiKey(row);
    if (key.revokedAt !== null) return { result: 'already_revoked', key };
    if (
      isLiveAdminKey(key, at) &&
      Number(db.get(API_KEY_COUNT_LIVE_ADMIN, { workspaceId, at })?.['n']) <= 1
    ) {
      return { result: 'last_admin_key' };
    }
    db.run(keySql.API_KEY_REVOKE_CHECKED, { keyId, at });
    return { result: 'revoked', key: { ...key, revokedAt: at } };
  });
}

export function consoleSessionInsert(db: SqliteDatabase, s: ConsoleSessionRecord): void {
  db.transaction(() => {
    db.run(CONSOLE_SESSION_DELETE_EXPIRED, { now: s.createdAt });
    db.run(CONSOLE_SESSION_INSERT, sessionParams(s));
  });
}

export function consoleSessionGet(db: SqliteDatabase, tokenHash: string) {
  const row = db.get(CONSOLE_SESSION_GET, { tokenHash });
  return row ? toSessionWithKey(row) : null;
}

export function consoleSessionDelete(db: SqliteDatabase, tokenHash: string): void {
  db.run(CONSOLE_SESSION_DELETE, { tokenHash });
}

/** The SQLite KeyStore, from the statements above. */
export function sqliteKeyStore(db: SqliteDatabase): KeyStore {
  return {
    workspaceCount: async () => workspaceCount(db),
    workspaceInsert: (w) => db.write(() => workspaceInsert(db, w)),
    workspaceGetByName: async (name) => workspaceGetByName(db, name),
    apiKeyInsert: (k) => db.write(() => apiKeyInsert(db, k)),
    apiKeyGetByHash: async (h) => apiKeyGetByHash(db, h),
    apiKeyList: async (w) => apiKeyList(db, w),
    apiKeyRevokeUnscoped: (id, at) => db.write(() => apiKeyRevokeUnscoped(db, id, at)),
    apiKeyRecordUse: (uses) => db.write(() => apiKeyRecordUse(db, uses)),
    apiKeyRevoke: (w, id, at) => db.write(() => apiKeyRevoke(db, w, id, at)),
    consoleSessionInsert: (s) => db.write(() => consoleSessionInsert(db, s)),
    consoleSessionGet: async (h) => consoleSessionGet(db, h),
    consoleSessionDelete: (h) => db.write(() => consoleSessionDelete(db, h)),
  };
}
