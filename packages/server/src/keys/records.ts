/** API keys as the rest of the server sees them (times in ms since the epoch). */

export type KeyMode = 'live' | 'test';

export type KeyRole = 'admin' | 'runner';

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  keyHash: string;
  hint: string;
  mode: KeyMode;
  role: KeyRole;
  name: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Accurate to about a minute (keys/key-usage.ts); null when never used. */
  lastUsedAt: number | null;
}
