/** Background WAL checkpoints of the embedded store (SqliteDatabase with backgroundCheckpoints). */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.ts';
import { waitFor } from '../support/http-client.ts';

let dir: string;

/** The WAL header's checkpoint sequence number: SQLite adds one each time the log restarts. */
function walRestarts(path: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(`${path}-wal`, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'semarize-checkpoints-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('background WAL checkpoints', () => {
  it('commits never checkpoint; the thread copies the WAL into the database file', async () => {
    const path = join(dir, 'semarize.db');
    const db = new SqliteDatabase(path, { backgroundCheckpoints: true });
    try {
      expect(db.get('PRAGMA wal_autocheckpoint')).toEqual({ wal_autocheckpoint: 0 });
      db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const before = statSync(path).size;
      // Well past the 1,000 WAL pages at which a commit would checkpoint by itself.
      const body = 'x'.repeat(8_000);
      for (let i = 0; i < 600; i++)
        await db.write(() => db.run('INSERT INTO notes (body) VALUES ($body)', { body }));
      // Only a checkpoint writes pages into the database file itself.
      await waitFor(
        async () => (statSync(path).size > before + 4_000_000 ? true : null),
        10_000,
        'a checkpoint',
      );
      expect(db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: 600 });
    } finally {
      await db.close();
    }
  });

  it('keeps the WAL bounded under steady writes: the writer restarts the log once the thread asks', async () => {
    const path = join(dir, 'steady.db');
    const db = new SqliteDatabase(path, { backgroundCheckpoints: { resetFrames: 64, intervalMs: 10 } });
    try {
      db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const body = 'x'.repeat(4_000);
      const insert = () => db.write(() => db.run('INSERT INTO notes (body) VALUES ($body)', { body }));
      // The thread's start-up is not what is measured (on a busy machine it takes a while): write
      // until the log has restarted once, which proves the thread runs and asks.
      const first = walRestarts(path);
      let written = 0;
      await waitFor(
        async () => {
          for (let i = 0; i < 50; i++, written++) await insert();
          return walRestarts(path) > first ? true : null;
        },
        60_000,
        'the first restart of the log',
      );
      const restartsBefore = walRestarts(path);
      // Then over 100 MB of frames, one commit each, with no pause for a checkpoint to catch up.
      for (let i = 0; i < 25_000; i++, written++) await insert();
      // Without restarts the log would hold every frame (over 100 MB); each restart truncates the
      // file to journal_size_limit (64 MiB). How far the log grows between two restarts depends on
      // how much CPU the thread gets, so that is not asserted.
      expect(walRestarts(path) - restartsBefore).toBeGreaterThanOrEqual(3);
      expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(64 * 1024 * 1024);
      expect(db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: written });
    } finally {
      await db.close();
    }
  });

  /** Writes numbered in the order they were queued, each with whether it has settled yet. */
  function writer(db: SqliteDatabase) {
    const writes: { done: Promise<number>; settled: boolean }[] = [];
    return {
      writes,
      write() {
        const body = String(writes.length);
        const entry = {
          done: db.write(() => db.run('INSERT INTO notes (body) VALUES ($body)', { body })),
          settled: false,
        };
        void entry.done.finally(() => {
          entry.settled = true;
        });
        writes.push(entry);
      },
    };
  }
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  async function expectCommittedInOrder(path: string, count: number) {
    const reopened = new SqliteDatabase(path);
    try {
      const rows = reopened.all('SELECT body FROM notes ORDER BY id');
      expect(rows.map((r) => r['body'])).toEqual(Array.from({ length: count }, (_, i) => String(i)));
    } finally {
      await reopened.close();
    }
  }

  it('while the thread catches up, commits wait; then every held write commits, in order, and so does close()', async () => {
    const path = join(dir, 'held.db');
    // The catch-up is held at the gate for as long as the test wants, as a slow disk would hold it.
    let holds = 0;
    let hold = true;
    let release = () => {};
    const beforeCatchUp = () => {
      holds++;
      return hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    };
    const db = new SqliteDatabase(path, {
      backgroundCheckpoints: { resetFrames: 1, intervalMs: 1, catchUpWaitMs: 60_000, beforeCatchUp },
    });
    db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const { writes, write } = writer(db);
    const untilHeld = async (after: number) =>
      waitFor(
        async () => {
          write();
          await turns(1);
          return holds > after ? true : null;
        },
        20_000,
        'a held commit',
      );

    await untilHeld(0);
    for (let i = 0; i < 100; i++) write();
    await turns(5);
    const held = writes.filter((w) => !w.settled).length;
    expect(held).toBeGreaterThanOrEqual(100);
    hold = false;
    release();
    await Promise.all(writes.map((w) => w.done));

    // Held again, and the connection closes meanwhile: what was queued is committed first.
    hold = true;
    await untilHeld(holds);
    for (let i = 0; i < 100; i++) write();
    await turns(5);
    expect(writes.filter((w) => !w.settled).length).toBeGreaterThanOrEqual(100);
    await db.close();
    expect(await Promise.all(writes.map((w) => w.done))).toEqual(writes.map(() => 1));
    await expectCommittedInOrder(path, writes.length);
  });

  it('a catch-up that never ends holds commits no longer than catchUpWaitMs', async () => {
    const path = join(dir, 'stuck.db');
    let holds = 0;
    const db = new SqliteDatabase(path, {
      backgroundCheckpoints: {
        resetFrames: 1,
        intervalMs: 1,
        catchUpWaitMs: 50,
        beforeCatchUp: () => {
          holds++;
          return new Promise<void>(() => {});
        },
      },
    });
    try {
      db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const { writes, write } = writer(db);
      await waitFor(
        async () => {
          write();
          await turns(1);
          return holds > 0 ? true : null;
        },
        20_000,
        'a held commit',
      );
      for (let i = 0; i < 10; i++) write();
      // Resolves only because the hold gives up.
      await Promise.all(writes.map((w) => w.done));
      expect(db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: writes.length });
    } finally {
      await db.close();
    }
  });

  it('without the option, commits checkpoint as SQLite does by default', async () => {
    const db = new SqliteDatabase(join(dir, 'cli.db'));
    try {
      expect(db.get('PRAGMA wal_autocheckpoint')).toEqual({ wal_autocheckpoint: 1000 });
    } finally {
      await db.close();
    }
  });

  it('close() waits for the thread, and a process with nothing else to do stays alive until it is done', async () => {
    const script = `
      import { SqliteDatabase } from ${JSON.stringify(new URL('../../src/store/sqlite/database.ts', import.meta.url).href)};
      const db = new SqliteDatabase(${JSON.stringify(join(dir, 'alone.db'))}, { backgroundCheckpoints: true });
      await db.close();
      console.log('closed');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    // Exit code 13 is Node's "unsettled top-level await": the process ended while close() waited.
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    expect(out.trim()).toBe('closed');
  });

  it('reports a thread that cannot work, so that commits take checkpoints over again', async () => {
    const failures: unknown[] = [];
    const checkpointer = new WalCheckpointer(join(dir, 'missing', 'no.db'), (error) => failures.push(error));
    await waitFor(async () => (failures.length > 0 ? true : null), 10_000, 'the failure report');
    expect(String(failures[0])).toMatch(/unable to open|exited/);
    // A writer waiting for a thread that is gone is not left waiting.
    await checkpointer.catchUp();
    await checkpointer.stop();
  });
});
