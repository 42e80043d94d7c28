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

  it('writes queued while commits wait for the thread are committed, in order, and close() commits what is left', async () => {
    const path = join(dir, 'held.db');
    // Every tick asks for a restart, so commits are held again and again.
    const db = new SqliteDatabase(path, { backgroundCheckpoints: { resetFrames: 1, intervalMs: 1 } });
    db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const first = walRestarts(path);
    const writes: Promise<number>[] = [];
    const wave = (n: number) => {
      for (let i = 0; i < 50; i++)
        writes.push(db.write(() => db.run('INSERT INTO notes (body) VALUES ($body)', { body: `${n}:${i}` })));
    };
    // Waves until commits have been held at least once (the log restarted), the thread's start-up
    // included.
    let waves = 0;
    await waitFor(
      async () => {
        wave(waves++);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return waves >= 40 && walRestarts(path) > first ? true : null;
      },
      30_000,
      'a restart of the log',
    );
    // The last wave is still queued (perhaps held) when the connection closes: it is committed first.
    wave(waves++);
    const closing = db.close();
    expect(await Promise.all(writes)).toEqual(writes.map(() => 1));
    await closing;
    const reopened = new SqliteDatabase(path);
    try {
      const rows = reopened.all('SELECT body FROM notes ORDER BY id');
      expect(rows.map((r) => r['body'])).toEqual(
        Array.from({ length: waves * 50 }, (_, n) => `${Math.floor(n / 50)}:${n % 50}`),
      );
    } finally {
      await reopened.close();
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
