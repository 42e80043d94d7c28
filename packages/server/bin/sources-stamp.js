// Whether packages/server/dist was built from the sources as they are now. Plain JavaScript: the
// command line decides with it before anything TypeScript is loaded (loading TypeScript at all is
// what the build avoids). scripts/build.ts writes the stamp this compares with.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = '.sources.json';

/** The newest modification time and the number of files under `dir`: what an edit, an added or a
 * removed file, or a checkout changes. */
export function sourcesStamp(dir) {
  let newestMtimeMs = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    newestMtimeMs = Math.max(newestMtimeMs, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return { newestMtimeMs, files };
}

/** Records, in `outDir`, the stamp of the sources in `srcDir` it was built from. */
export function writeStamp(srcDir, outDir) {
  writeFileSync(join(outDir, STAMP), `${JSON.stringify(sourcesStamp(srcDir))}\n`);
}

/** True when `outDir` holds a build of `srcDir` as it is now; false when it is missing or stale. */
export function buildIsCurrent(srcDir, outDir) {
  let built;
  try {
    built = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
  } catch {
    return false;
  }
  const now = sourcesStamp(srcDir);
  return built.newestMtimeMs === now.newestMtimeMs && built.files === now.files;
}
