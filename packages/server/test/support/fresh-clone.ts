import { execFile } from 'node:child_process';
import { cp, lstat, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '../../../..');

/**
 * The environment of a newcomer's fresh shell: nothing of this test run's npm (INIT_CWD,
 * npm_config_*, node_modules/.bin on PATH), no Semarize settings, no DATABASE_URL. `extra` is
 * what the test types in front of the command.
 */
export function newcomerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|INIT_CWD$|SEMARIZE_|DATABASE_URL$|PORT$|HOST$|VITEST|NODE_OPTIONS$)/i.test(name)) continue;
    env[name] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  return { ...env, ...extra };
}

/**
 * This checkout as a newcomer gets it: a new folder with the files `git clone` brings, then
 * `npm ci`. The files are copied from the working tree (what git tracks, plus new files it does
 * not ignore) rather than cloned, so the test checks the code as it is now and not the last
 * commit. The install is real, not a link to this checkout's node_modules: what `npm install`
 * builds (the SDK's dist) is part of what is tested, and links would point back into this
 * checkout. `--prefer-offline` lets the npm cache of this checkout's own install serve it.
 */
export async function freshClone(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'semarize-clone-'));
  const { stdout } = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const path of stdout.split('\0').filter(Boolean)) {
    const exists = await lstat(join(REPO, path)).then(
      () => true,
      () => false, // deleted in the working tree, not committed yet
    );
    if (exists) await cp(join(REPO, path), join(root, path), { verbatimSymlinks: true });
  }
  await exec('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: root,
    env: newcomerEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return root;
}
