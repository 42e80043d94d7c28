import type { RunStore } from '../run-store.ts';
import { createRun, findIdempotencyKey } from './create-run.ts';
import type { PostgresDatabase } from './database.ts';
import { cancelRun } from './execute-runs.ts';
import {
  findReusableRun,
  getPreparedInput,
  getRun,
  getRunInput,
  listRunEvents,
  listRuns,
} from './read-runs.ts';

/** The PostgreSQL RunStore: runs are created in create-run.ts, read in read-runs.ts, cancelled in execute-runs.ts. */
export function postgresRunStore(db: PostgresDatabase): RunStore {
  return {
    createRun: (run, idem, now, max) => createRun(db, run, idem, now, max),
    findIdempotencyKey: (w, m, k, now) => findIdempotencyKey(db, w, m, k, now),
    getRun: (w, id) => getRun(db, w, id),
    getPreparedInput: (w, id) => getPreparedInput(db, w, id),
    findReusableRun: (w, key) => findReusableRun(db, w, key),
    getRunInput: (w, id) => getRunInput(db, w, id),
    listRuns: (q) => listRuns(db, q),
    cancelRun: (w, id, now, eventId) => cancelRun(db, w, id, now, eventId),
    listRunEvents: (runId) => listRunEvents(db, runId),
  };
}
