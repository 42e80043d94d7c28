import type { ConsoleSessionRecord } from '../console/records.ts';
import type { ApiKeyRecord } from '../keys/records.ts';
import type { WorkspaceRecord } from '../workspaces/records.ts';
import type { KeyUse } from './records.ts';

/** What revoking a workspace's key did; `key` is the key as it is now. */
export type RevokeKeyOutcome =
  | { result: 'revoked' | 'already_revoked'; key: ApiKeyRecord }
  | { result: 'not_found' | 'last_admin_key' };

/** The access part of the Store: workspaces, their API keys and console sessions. */
export interface KeyStore {
  // Workspaces and API keys
  workspaceCount(): Promise<number>;
  workspaceInsert(workspace: WorkspaceRecord): Promise<void>;
  workspaceGetByName(name: string): Promise<WorkspaceRecord | null>;
  apiKeyInsert(key: ApiKeyRecord): Promise<void>;
  apiKeyGetByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  apiKeyList(workspaceId: string | null): Promise<ApiKeyRecord[]>;
  /**
   * Any workspace's key, without apiKeyRevoke's last-admin check (the operator's command line);
   * false when there is no such key or it was already revoked.
   */
  apiKeyRevokeUnscoped(keyId: string, at: number): Promise<boolean>;
  /** Moves each key's last use forward to `at` (never back); unknown keys are ignored. */
  apiKeyRecordUse(uses: readonly KeyUse[]): Promise<void>;
  /**
   * Revokes a workspace's key unless it is the workspace's last live admin key (live, admin, not
   * revoked, not expired at `at`): a workspace must keep one key that can manage it (SPEC §12).
   */
  apiKeyRevoke(workspaceId: string, keyId: string, at: number): Promise<RevokeKeyOutcome>;

  // Console sessions
  /** Inserts a session and deletes sessions that expired before `session.createdAt`. */
  consoleSessionInsert(session: ConsoleSessionRecord): Promise<void>;
  /** The session and its key, however the key stands now (revoked, expired): the caller decides. */
  consoleSessionGet(tokenHash: string): Promise<{ session: ConsoleSessionRecord; key: ApiKeyRecord } | null>;
  consoleSessionDelete(tokenHash: string): Promise<void>;
}
