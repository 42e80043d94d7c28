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
  countWorkspaces(): Promise<number>;
  insertWorkspace(workspace: WorkspaceRecord): Promise<void>;
  findWorkspaceByName(name: string): Promise<WorkspaceRecord | null>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  listApiKeys(workspaceId: string | null): Promise<ApiKeyRecord[]>;
  /** Returns false when there is no such key or it was already revoked. */
  revokeApiKey(keyId: string, at: number): Promise<boolean>;
  /** Moves each key's last use forward to `at` (never back); unknown keys are ignored. */
  recordKeyUses(uses: readonly KeyUse[]): Promise<void>;
  /**
   * Revokes a workspace's key unless it is the workspace's last live admin key (live, admin, not
   * revoked, not expired at `at`): a workspace must keep one key that can manage it (SPEC §12).
   */
  revokeWorkspaceApiKey(workspaceId: string, keyId: string, at: number): Promise<RevokeKeyOutcome>;

  // Console sessions
  /** Inserts a session and deletes sessions that expired before `session.createdAt`. */
  insertConsoleSession(session: ConsoleSessionRecord): Promise<void>;
  /** The session and its key, however the key stands now (revoked, expired): the caller decides. */
  findConsoleSession(tokenHash: string): Promise<{ session: ConsoleSessionRecord; key: ApiKeyRecord } | null>;
  deleteConsoleSession(tokenHash: string): Promise<void>;
}
