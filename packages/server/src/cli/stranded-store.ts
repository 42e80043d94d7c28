import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, DEFAULT_DATA_DIR, INSTALL_ROOT } from '../config.ts';
import { sqlitePathIn } from '../store/sqlite/sqlite-store.ts';

/** Where `npm start` kept the default store before it moved to the root of the install. */
const OLD_DEFAULT_DATA_DIR = join(INSTALL_ROOT, 'packages', 'server', '.semarize');

/**
 * Refuses to open a new, empty default store while the old default one holds data: `npm start`
 * would bootstrap a second workspace with new keys, and the runs, keys and Kits of the first would
 * seem lost. Moving the directory is the whole migration, so the message says how.
 */
export function refuseStrandedStore(
  dataDir: string,
  defaults = { dataDir: DEFAULT_DATA_DIR, oldDataDir: OLD_DEFAULT_DATA_DIR, root: INSTALL_ROOT },
): void {
  if (dataDir !== defaults.dataDir || existsSync(sqlitePathIn(dataDir))) return;
  if (!existsSync(sqlitePathIn(defaults.oldDataDir))) return;
  const from = relative(defaults.root, defaults.oldDataDir);
  const to = relative(defaults.root, defaults.dataDir);
  throw new ConfigError(
    `the store is now ${to}/ at the root of the project, and ${from}/ (where npm start kept it before) holds one. ` +
      `Stop every Semarize process, then move it, in ${defaults.root}: mv ${from} ${to}`,
  );
}
