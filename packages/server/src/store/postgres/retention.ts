import type { RetentionPass, RetentionResult } from '../retention-records.ts';
import { PURGED_INPUT } from '../retention-records.ts';
import type { RetentionStore } from '../retention-store.ts';
import type { PostgresDatabase, Sql } from './database.ts';

/**
 * One bounded pass of each retention rule; the caller repeats while a kind still hits its limit.
 * SKIP LOCKED: several `work` processes may run it at once without waiting on each other.
 */
export async function retentionPurgeExpired(db: Sql, p: RetentionPass): Promise<RetentionResult> {
  const idempotencyKeys = await db.run(
    `DELETE FROM idempotency_keys WHERE ctid IN
       (SELECT ctid FROM idempotency_keys WHERE expires_at <= $now LIMIT $limit FOR UPDATE SKIP LOCKED)`,
    { now: p.now, limit: p.limit },
  );
  const inputs =
    p.inputsCompletedBefore === null
      ? 0
      : await db.run(
          `UPDATE runs SET input = $purged, prepared = NULL, reuse_key = NULL, input_purged_at = $now WHERE id IN
             (SELECT id FROM runs WHERE input_purged_at IS NULL AND completed_at IS NOT NULL
                AND completed_at < $before LIMIT $limit FOR UPDATE SKIP LOCKED)`,
          { purged: PURGED_INPUT, now: p.now, before: p.inputsCompletedBefore, limit: p.limit },
        );
  const attempts =
    p.attemptsStartedBefore === null
      ? 0
      : await db.run(
          `DELETE FROM webhook_attempts WHERE ctid IN
             (SELECT ctid FROM webhook_attempts WHERE started_at < $before LIMIT $limit FOR UPDATE SKIP LOCKED)`,
          { before: p.attemptsStartedBefore, limit: p.limit },
        );
  return { idempotencyKeys, inputs, attempts };
}

/** The PostgreSQL RetentionStore, from the statements above. */
export function postgresRetentionStore(db: PostgresDatabase): RetentionStore {
  return {
    retentionPurgeExpired: (p) => retentionPurgeExpired(db, p),
  };
}
