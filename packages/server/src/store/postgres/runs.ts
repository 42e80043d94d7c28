import type { RunStore } from '../run-store.ts';
import { idempotencyKeyGet, runInsert } from './create-run.ts';
import type { PostgresDatabase } from './database.ts';
import { runCancel } from './execute-runs.ts';
import {
  runEventList,
  runGet,
  runGetInput,
  runGetPreparedInput,
  runGetReusable,
  runList,
} from './read-runs.ts';

/** The PostgreSQL RunStore: runs are created in create-run.ts, read in read-runs.ts, cancelled in execute-runs.ts. */
export function postgresRunStore(db: PostgresDatabase): RunStore {
  return {
    runInsert: (run, idem, now, max) => runInsert(db, run, idem, now, max),
    idempotencyKeyGet: (w, m, k, now) => idempotencyKeyGet(db, w, m, k, now),
    runGet: (w, id) => runGet(db, w, id),
    runGetPreparedInput: (w, id) => runGetPreparedInput(db, w, id),
    runGetReusable: (w, key) => runGetReusable(db, w, key),
    runGetInput: (w, id) => runGetInput(db, w, id),
    runList: (q) => runList(db, q),
    runCancel: (w, id, now, eventId, settleBy) => runCancel(db, w, id, now, eventId, settleBy),
    runEventList: (runId) => runEventList(db, runId),
  };
}
