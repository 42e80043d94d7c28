import { chmodSync, mkdirSync } from 'node:fs';

/**
 * The store holds transcripts and webhook secrets: its directory and files are the owner's alone
 * (SPEC §9.5). Modes are set with chmod, so the umask cannot widen them.
 */

/** Creates the store's directory 0700. A directory that already exists (one the user chose) keeps its mode. */
export function createPrivateDirectory(dir: string): void {
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
}

/**
 * The database file and SQLite's `-wal` and `-shm` beside it, 0600: those of stores made before
 * this rule too. SQLite creates `-wal` and `-shm` with the database file's mode, so setting it
 * first keeps them private from their creation.
 */
export function restrictStoreFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Not there (yet), or not ours to change (a store opened by another user with access to it).
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
    }
  }
}
