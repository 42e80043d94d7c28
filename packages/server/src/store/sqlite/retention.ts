import { PURGED_INPUT, type RetentionPass, type RetentionResult } from '../retention-records.ts';
import type { RetentionStore } from '../retention-store.ts';
import type { SqliteDatabase } from './database.ts';

/** One bounded pass of each retention rule; the caller repeats while a kind still hits its limit. */
export function retentionPurgeExpired(db: SqliteDatabase, p: RetentionPass): RetentionResult {
  const idempotencyKeys = db.run(
    `DELETE FROM idempotency_keys WHERE rowid IN
       (SELECT rowid FROM idempotency_keys WHERE expires_at <= $now LIMIT $limit)`,
    { now: p.now, limit: p.limit },
  );
  const inputs =
    p.inputsCompletedBefore === null
      ? 0
      : db.run(
          `UPDATE runs SET input = $purged, prepared = NULL, reuse_key = NULL, input_purged_at = $now WHERE rowid IN
             (SELECT rowid FROM runs WHERE input_purged_at IS NULL AND completed_at IS NOT NULL
                AND completed_at < $before LIMIT $limit)`,
          { purged: PURGED_INPUT, now: p.now, before: p.inputsCompletedBefore, limit: p.limit },
        );
  const attempts =
    p.attemptsStartedBefore === null
      ? 0
      : db.run(
          `DELETE FROM webhook_attempts WHERE rowid IN
             (SELECT rowid FROM webhook_attempts WHERE started_at < $before LIMIT $limit)`,
          { before: p.attemptsStartedBefore, limit: p.limit },
        );
  return { idempotencyKeys, inputs, attempts };
}

/** The SQLite RetentionStore, from the statements above. */
export function sqliteRetentionStore(db: SqliteDatabase): RetentionStore {
  return {
    retentionPurgeExpired: (p) => db.write(() => retentionPurgeExpired(db, p)),
  };
}
