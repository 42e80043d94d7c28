import type { RunStore } from '../run-store.ts';
import { idempotencyKeyGet, runInsert } from './create-run.ts';
import type { SqliteDatabase } from './database.ts';
import { runCancel } from './execute-runs.ts';
import {
  runEventList,
  runGet,
  runGetInput,
  runGetPreparedInput,
  runGetReusable,
  runList,
} from './read-runs.ts';

/** The SQLite RunStore: runs are created in create-run.ts, read in read-runs.ts, cancelled in execute-runs.ts. */
export function sqliteRunStore(db: SqliteDatabase): RunStore {
  return {
    runInsert: (run, idem, now, max) => db.write(() => runInsert(db, run, idem, now, max)),
    idempotencyKeyGet: async (w, m, k, now) => idempotencyKeyGet(db, w, m, k, now),
    runGet: async (w, id) => runGet(db, w, id),
    runGetPreparedInput: async (w, id) => runGetPreparedInput(db, w, id),
    runGetReusable: async (w, key) => runGetReusable(db, w, key),
    runGetInput: async (w, id) => runGetInput(db, w, id),
    runList: async (q) => runList(db, q),
    runCancel: (w, id, now, eventId, settleBy) =>
      db.write(() => runCancel(db, w, id, now, eventId, settleBy)),
    runEventList: async (runId) => runEventList(db, runId),
  };
}
