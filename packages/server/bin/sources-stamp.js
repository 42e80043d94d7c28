// Whether packages/server/dist was built from the sources as they are now. Plain JavaScript: the
// command line decides with it before anything TypeScript is loaded (loading TypeScript at all is
// what the build avoids). scripts/build.ts writes the stamp this compares with.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const STAMP = '.sources.json';

/**
 * What an edit, an added, removed or renamed file, or a checkout changes under `dir`: the newest
 * modification time, and a hash of the files' relative paths.
 */
export function sourcesStamp(dir) {
  let newestMtimeMs = 0;
  const paths = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    paths.push(relative(dir, path));
    newestMtimeMs = Math.max(newestMtimeMs, statSync(path).mtimeMs);
  }
  const files = createHash('sha256').update(paths.sort().join('\n')).digest('hex');
  return { newestMtimeMs, files };
}

const same = (a, b) => a.newestMtimeMs === b.newestMtimeMs && a.files === b.files;

/**
 * Records in `outDir` that it holds a build of the sources as `before` found them, taken before
 * compiling; when the sources changed while it compiled, records nothing (the build is not current).
 */
export function writeStamp(srcDir, outDir, before) {
  if (!same(before, sourcesStamp(srcDir))) return false;
  writeFileSync(join(outDir, STAMP), `${JSON.stringify(before)}\n`);
  return true;
}

/**
 * True when `outDir` holds a build of `srcDir` as it is now; false when it is missing or stale. With
 * no sources at all (an install that ships the build only), a stamped build is current.
 */
export function buildIsCurrent(srcDir, outDir) {
  let built;
  try {
    built = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return false;
  }
  let now;
  try {
    now = sourcesStamp(srcDir);
  } catch {
    return true;
  }
  return same(built, now);
}
