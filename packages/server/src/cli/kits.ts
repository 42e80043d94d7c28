import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { applyKitFile, validateKitFiles } from '../kits/apply-kit-file.ts';
import { readKitFile } from '../kits/kit-file.ts';
import { openStore } from '../server.ts';
import { storeCommandDeps } from './store-command-deps.ts';

/**
 * `semarize kits apply FILE... [--publish] [--workspace NAME]`: prints each Kit's code. Relative
 * FILEs resolve from `cwd`, the directory the command was typed in.
 */
export async function kitsCommand(config: Readonly<Config>, args: string[], cwd: string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      publish: { type: 'boolean', default: false },
      workspace: { type: 'string', default: 'default' },
    },
  });
  if (sub !== 'apply' || positionals.length === 0)
    throw new Error('usage: semarize kits apply FILE... [--publish]');
  // Parse every file before writing anything, so one bad file changes nothing.
  const files = await Promise.all(
    positionals.map(async (path) => ({ path, file: await readKitFile(resolve(cwd, path), path) })),
  );
  const store = openStore(config);
  try {
    const workspace = await store.workspaceGetByName(values.workspace);
    if (!workspace)
      throw new Error(`no workspace "${values.workspace}" (start the server once, or create a key for it)`);
    const deps = storeCommandDeps(store, config);
    await validateKitFiles(
      deps,
      workspace.id,
      files.map(({ path, file }) => ({ file, name: path })),
    );
    for (const { path, file } of files) {
      const applied = await applyKitFile(deps, workspace.id, file, path, { publish: values.publish });
      if (applied) {
        process.stdout.write(
          `${applied.code}\tversion ${applied.version}\t${applied.status}\t${applied.versionId}${applied.changed ? '' : '\t(unchanged)'}\n`,
        );
      } else {
        process.stderr.write(`${path}: Bricks applied (no kit section)\n`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
