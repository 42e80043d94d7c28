import { dirname, resolve } from 'node:path';

/**
 * The directory the user typed the command in. `npm run` and `npm start` run a script in the
 * directory of the package.json that defines it and keep the user's directory in INIT_CWD; only
 * when the process still runs where npm put it is INIT_CWD trusted (a script that changes
 * directory before starting the CLI inherits a stale one). Anything else runs where it was started.
 * The environment and directory are passed in: only `cli/main.ts` and `config.ts` read the process's.
 */
export function invocationDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const typedIn = env['INIT_CWD'];
  const scriptPackage = env['npm_package_json'];
  if (typedIn && scriptPackage && resolve(dirname(scriptPackage)) === resolve(cwd)) return typedIn;
  return cwd;
}
