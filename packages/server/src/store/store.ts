import type { KeyStore } from './key-store.ts';
import type { KitStore } from './kit-store.ts';
import type { QueueStore } from './queue-store.ts';
import type { RetentionStore } from './retention-store.ts';
import type { RunStore } from './run-store.ts';
import type { WebhookStore } from './webhook-store.ts';

export type { RevokeKeyOutcome } from './key-store.ts';

/*
 * Method names (River's driver interface: JobGetByID, JobList, QueueCreateOrSetUpdatedAt): noun,
 * verb, qualifier, flat camelCase — `kitVersionGetLatest`, `runClaim`, `deliveryRecordAttempt`.
 * - Noun: the record kind, singular even when many rows change (`runClaim`, `runRenewLease`):
 *   run, runEvent, idempotencyKey, brickVersion, kit, kitVersion, workspace, apiKey,
 *   consoleSession, webhookEndpoint, delivery, deliveryAttempt; or, for a method that spans
 *   several kinds, its concept (`queueGetStats`, `retentionPurgeExpired`).
 * - Verb, from a small set. Reads: Get (one record by its identity, null when there is none),
 *   List (many, ordered), Count, Exists. Writes: Insert (a new row; IfNew: false and nothing
 *   written when the identity is taken), Update, Delete. Transitions name themselves: Cancel,
 *   Claim, Finish, Release, Renew, Recover, Revoke, Publish, Rotate, Record, Redeliver, Purge.
 * - Qualifier: By<Key> for a lookup by another unique key (`kitGetByCode`), a selector (Latest,
 *   Published, Queued, Due, Reusable), or the part read or written (`runGetInput`,
 *   `webhookEndpointRotateSecret`). A method that takes a workspace id sees only that workspace;
 *   when the same read or write also exists across workspaces, that one ends in Unscoped
 *   (`kitVersionGetUnscoped`, `apiKeyRevokeUnscoped`).
 */

/**
 * The only way the server touches storage: one interface per concept, joined here. Two adapters
 * implement it (SQLite, PostgreSQL), each built from one part per concept, and one conformance
 * suite holds them to the same behaviour. Every method is atomic.
 */
export interface Store extends RunStore, QueueStore, KitStore, KeyStore, WebhookStore, RetentionStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Cheap round trip, for readiness checks. Throws when storage is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
