import type { RunStore } from '../run-store.ts';
import { createRun, findIdempotencyKey } from './create-run.ts';
import type { SqliteDatabase } from './database.ts';
import { cancelRun } from './execute-runs.ts';
import {
  findReusableRun,
  getPreparedInput,
  getRun,
  getRunInput,
  listRunEvents,
  listRuns,
} from './read-runs.ts';

/** The SQLite RunStore: runs are created in create-run.ts, read in read-runs.ts, cancelled in execute-runs.ts. */
export function sqliteRunStore(db: SqliteDatabase): RunStore {
  return {
    createRun: (run, idem, now, max) => db.write(() => createRun(db, run, idem, now, max)),
    findIdempotencyKey: async (w, m, k, now) => findIdempotencyKey(db, w, m, k, now),
    getRun: async (w, id) => getRun(db, w, id),
    getPreparedInput: async (w, id) => getPreparedInput(db, w, id),
    findReusableRun: async (w, key) => findReusableRun(db, w, key),
    getRunInput: async (w, id) => getRunInput(db, w, id),
    listRuns: async (q) => listRuns(db, q),
    cancelRun: (w, id, now, eventId) => db.write(() => cancelRun(db, w, id, now, eventId)),
    listRunEvents: async (runId) => listRunEvents(db, runId),
  };
}
