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

const timer = setInterval(() => {
  try {
    const { log } = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    failures = 0;
    // Only the writer can restart the log, and only once a checkpoint has caught up, which this
    // thread cannot do while commits keep coming: past the threshold, ask the writer to finish one.
    if (log >= resetFrames) parentPort!.postMessage({ resetDue: log });
  } catch (error) {
    // Busy or I/O trouble is retried at the next tick, but not for ever: then the parent takes over.
    const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    if ((code !== 5 && code !== 6 && code !== 10) || ++failures >= maxFailures) throw error;
  }
}, intervalMs);

parentPort!.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
