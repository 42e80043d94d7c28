/** SqliteDatabase.write: writes queued in one turn of the event loop share one commit. */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { StoreUnavailableError } from '../../src/store/store-unavailable.ts';

let dir: string;
let path: string;
let db: SqliteDatabase;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'semarize-group-commit-'));
  path = join(dir, 'semarize.db');
  db = new SqliteDatabase(path);
  db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)');
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const insert = (body: string) => () => db.run('INSERT INTO notes (body) VALUES ($body)', { body });
/** Committed rows, as another connection (another process) sees them. */
function committedBodies(): string[] {
  const other = new DatabaseSync(path, { readOnly: true });
  try {
    return (other.prepare('SELECT body FROM notes ORDER BY id').all() as { body: string }[]).map(
      (r) => r.body,
    );
  } finally {
    other.close();
  }
}
/** WAL frames written so far: each commit appends the pages it changed. */
const walFrames = () => (statSync(`${path}-wal`).size - 32) / (24 + 4096);

describe('SqliteDatabase.write (group commit)', () => {
  it('settles each write once it is committed, with its own result', async () => {
    const results = await Promise.all([
      db.write(insert('a')),
      db.write(insert('b')),
      db.write(() => 'value'),
    ]);
    expect(results).toEqual([1, 1, 'value']);
    expect(committedBodies()).toEqual(['a', 'b']);
  });

  it('commits writes queued together once: far fewer WAL frames than one commit each', async () => {
    const framesBefore = walFrames();
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.write(insert(`together ${i}`))));
    const together = walFrames() - framesBefore;

    for (let i = 0; i < 100; i++) await db.write(insert(`one by one ${i}`));
    const oneByOne = walFrames() - framesBefore - together;

    expect(committedBodies()).toHaveLength(200);
    expect(oneByOne).toBeGreaterThanOrEqual(100);
    expect(together).toBeLessThan(10);
  });

  it('undoes only the write that fails; the others in its batch are committed', async () => {
    await db.write(insert('taken'));
    const outcomes = await Promise.allSettled([
      db.write(insert('first')),
      db.write(() => {
        insert('half done')();
        insert('taken')(); // UNIQUE violation: the whole write goes, "half done" included
      }),
      db.write(() => {
        throw new Error('a bug in the work itself');
      }),
      db.write(insert('last')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/a bug in the work itself/);
    expect(committedBodies()).toEqual(['taken', 'first', 'last']);
  });

  it('keeps nested transactions inside a write to their own savepoint', async () => {
    const outcome = await db.write(() => {
      insert('outer')();
      try {
        db.transaction(() => {
          insert('inner')();
          throw new Error('inner fails');
        });
      } catch {
        return 'inner undone';
      }
    });
    expect(outcome).toBe('inner undone');
    expect(committedBodies()).toEqual(['outer']);
  });

  it('rejects the whole batch as unavailable, storing nothing, when the write lock is held elsewhere', async () => {
    const short = new SqliteDatabase(path, { busyTimeoutMs: 50 });
    const locker = new DatabaseSync(path, { timeout: 0 });
    locker.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = await Promise.allSettled([short.write(() => 1), short.write(() => 2)]);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      }
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
      short.close();
    }
  });

  it('commits a burst in batches of at most 256, letting other work run between them', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const framesBefore = walFrames();
    const writes = Array.from({ length: 1_000 }, (_, i) => db.write(insert(`burst ${i}`)));
    const settledAtTick: number[] = [];
    for (const [i, write] of writes.entries()) void write.then(() => (settledAtTick[i] = ticks));
    await Promise.all(writes);
    clearInterval(ticker);
    expect(committedBodies()).toHaveLength(1_000);
    // Four commits (each appends at least one frame), not one; the first batch settles first.
    expect(walFrames() - framesBefore).toBeGreaterThanOrEqual(4);
    expect(settledAtTick[0]).toBeLessThan(settledAtTick[999]!);
  });

  it('commits writes still queued when the database is closed, however many', async () => {
    const pending = Array.from({ length: 600 }, (_, i) => db.write(insert(`queued at close ${i}`)));
    void db.close();
    expect(await Promise.all(pending)).toEqual(Array(600).fill(1));
    expect(committedBodies()).toHaveLength(600);
    db = new SqliteDatabase(path);
  });
});
