import { chmodSync, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqlitePathIn } from '../../src/store/sqlite/sqlite-store.ts';

/** SPEC §9.5: the embedded store's directory is created 0700 and its files are 0600. */
const mode = (path: string) => statSync(path).mode & 0o777;

let root: string;
let umask: number;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'semarize-modes-'));
  // The most permissive umask: the modes must not depend on it.
  umask = process.umask(0);
});
afterEach(async () => {
  process.umask(umask);
  await rm(root, { recursive: true, force: true });
});

describe('SQLite store file modes', () => {
  it('creates its directory 0700 and the database, -wal and -shm files 0600', async () => {
    const dataDir = join(root, 'nested', '.semarize');
    const path = sqlitePathIn(dataDir);
    const store = openSqliteStore(path, { backgroundCheckpoints: true });
    try {
      await store.ping();
      await store.workspaceInsert({ id: 'ws_modes', name: 'modes', createdAt: Date.now() });
      expect(mode(dataDir)).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(mode(file), file).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it('makes the files of a store from before the rule private when it opens it', async () => {
    const path = sqlitePathIn(join(root, 'old'));
    await openSqliteStore(path).close();
    chmodSync(path, 0o644);
    const store = openSqliteStore(path);
    try {
      await store.ping();
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('leaves the mode of a directory that already existed alone', async () => {
    const dataDir = join(root, 'chosen');
    await mkdir(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const store = openSqliteStore(sqlitePathIn(dataDir));
    await store.close();
    expect(mode(dataDir)).toBe(0o755);
    expect(mode(sqlitePathIn(dataDir))).toBe(0o600);
  });
});
