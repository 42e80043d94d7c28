import type { KeyStore } from './key-store.ts';
import type { KitStore } from './kit-store.ts';
import type { QueueStore } from './queue-store.ts';
import type { RetentionStore } from './retention-store.ts';
import type { RunStore } from './run-store.ts';
import type { WebhookStore } from './webhook-store.ts';

export type { RevokeKeyOutcome } from './key-store.ts';

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
