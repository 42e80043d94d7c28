import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * tsc rewrites `./x.ts` to `./x.js` in the emitted JavaScript but not in the declarations
 * (microsoft/TypeScript#61037). TypeScript 5 resolves either; older compilers and some editors only
 * the `.js` form, so the published `.d.ts` files get the same specifiers as the JavaScript.
 */
const RELATIVE_TS_SPECIFIER = /((?:from\s+|import\s*\(\s*)['"]\.{1,2}\/[^'"]+)\.ts(['"])/g;

const dist = join(import.meta.dirname, '..', 'dist');
const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.d.ts'));
for (const file of files) {
  const path = join(dist, file);
  const text = await readFile(path, 'utf8');
  const rewritten = text.replace(RELATIVE_TS_SPECIFIER, '$1.js$2');
  if (rewritten !== text) await writeFile(path, rewritten);
}
