/**
 * The compiled server, `npm run build` (also run by `npm install`): the sources' JavaScript in
 * dist/, beside the files that are not TypeScript (console assets, migrations), and a stamp of the
 * sources it was built from (bin/sources-stamp.js), by which bin/semarize.js runs it only while it
 * is current. tsc only erases the types here (`noCheck`); `npm run typecheck` checks them.
 *
 * Why a build when Node 24 runs TypeScript: every thread that loads a .ts file loads Node's type
 * stripper (a WebAssembly module and its glue), about 15 MB of resident memory per thread, in the
 * main thread and in each engine, scan and checkpoint thread (docs/decisions.md).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { sourcesStamp, writeStamp } from '../bin/sources-stamp.js';

const SERVER = join(import.meta.dirname, '..');
const SRC = join(SERVER, 'src');
const REPO = join(SERVER, '../..');

/** The production build: packages/server/dist holds what src holds, at the same depth. */
export function buildServer(): string {
  const dist = join(SERVER, 'dist');
  compile({ rootDir: SRC, outDir: dist, fixtures: [] });
  return dist;
}

/**
 * A compiled copy of packages/server at `<repo>/.build/<name>` (its src/, the `fixtures` with what
 * they import, its package.json), for the benchmarks and the tests that run the build: at the
 * package's own depth below the repository, so the paths the server finds by its own location
 * (the install root, package.json, node_modules) are the same as from the sources. Returns its root.
 */
export function buildServerCopy(name: string, fixtures: string[] = []): string {
  const root = join(REPO, '.build', name);
  compile({ rootDir: SERVER, outDir: root, fixtures });
  cpSync(join(SERVER, 'package.json'), join(root, 'package.json'));
  return root;
}

/**
 * Compiles into a fresh folder beside `outDir` and then swaps it in, so a server running from
 * `outDir` never meets a half-written tree when it starts a thread or imports a module later.
 */
function compile({ rootDir, outDir, fixtures }: { rootDir: string; outDir: string; fixtures: string[] }) {
  // Taken first: an edit saved while tsc runs must leave the build unstamped, not stamped as built.
  const before = sourcesStamp(SRC);
  const building = `${outDir}.building-${process.pid}`;
  const compiledSrc = join(building, relative(rootDir, SRC));
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const config = join(building, '.tsconfig.build.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(REPO, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: false,
        noCheck: true,
        rewriteRelativeImportExtensions: true,
        rootDir,
        outDir: building,
        typeRoots: [join(REPO, 'node_modules/@types')],
      },
      include: [SRC],
      files: fixtures.map((fixture) => join(SERVER, fixture)),
    }),
  );
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
    rmSync(config);
    for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
      const from = join(entry.parentPath, entry.name);
      const to = join(compiledSrc, relative(SRC, from));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
    if (!writeStamp(SRC, compiledSrc, before)) {
      process.stderr.write('The sources changed during the build: it is left unstamped (not run).\n');
    }
    const old = `${outDir}.old-${process.pid}`;
    rmSync(old, { recursive: true, force: true });
    try {
      renameSync(outDir, old);
    } catch {
      // No earlier build.
    }
    renameSync(building, outDir);
    rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
}

if (import.meta.main) buildServer();
