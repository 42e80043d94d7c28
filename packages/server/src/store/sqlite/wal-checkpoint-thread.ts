/**
 * The thread that checkpoints the embedded store's WAL for wal-checkpointer.ts: on its own
 * connection, so copying WAL pages into the database file and fsyncing it never blocks the thread
 * that serves requests. PASSIVE checkpoints never wait on, or block, readers and writers.
 * Self-contained: it runs as a plain worker, outside any bundler or test transform.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs, resetFrames, maxFailures } = workerData as {
  path: string;
  intervalMs: number;
  resetFrames: number;
  maxFailures: number;
};
const db = new DatabaseSync(path, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let failures = 0;

/** One PASSIVE checkpoint; null when it could not run (busy, I/O), which the next tick retries. */
function checkpointOnce(): { log: number; checkpointed: number } | null {
  try {
    const result = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    failures = 0;
    return result;
  } catch (error) {
    // Busy or I/O trouble is retried at the next tick, but not for ever: then the parent takes over.
    const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    if ((code !== 5 && code !== 6 && code !== 10) || ++failures >= maxFailures) throw error;
    return null;
  }
}

const timer = setInterval(() => {
  const result = checkpointOnce();
  // Only a write that begins after a checkpoint caught up restarts the log, which this thread
  // cannot achieve while commits keep coming (`log` is the log as this checkpoint began, so even
  // log === checkpointed says nothing about now): past the threshold, ask the writer to hold them.
  if (result && result.log >= resetFrames) parentPort!.postMessage({ resetDue: result.log });
}, intervalMs);

parentPort!.on('message', (message: { catchUp?: number; stop?: true }) => {
  if (message.catchUp !== undefined) {
    // Caught up or not, the writer resumes; if the log is still long, the next tick asks again.
    checkpointOnce();
    parentPort!.postMessage({ caughtUp: message.catchUp });
    return;
  }
  if (!message.stop) return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
