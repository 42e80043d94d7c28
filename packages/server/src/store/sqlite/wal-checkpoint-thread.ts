/**
 * The thread that checkpoints the embedded store's WAL for wal-checkpointer.ts: on its own
 * connection, so copying WAL pages into the database file and fsyncing it never blocks the thread
 * that serves requests. PASSIVE checkpoints never wait on, or block, readers and writers.
 * Self-contained: it runs as a plain worker, outside any bundler or test transform.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new DatabaseSync(path, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch (error) {
    // Busy or I/O trouble now is retried at the next tick; anything else is the parent's to handle.
    const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    if (code !== 5 && code !== 6 && code !== 10) throw error;
  }
}, intervalMs);

parentPort!.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
