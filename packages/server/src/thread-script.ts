/**
 * The script of a worker thread that sits beside the module at `from` (its `import.meta.url`),
 * with that module's own extension: `.ts` when the server runs from its sources (development,
 * tests), `.js` when it runs from the compiled build (`npm start`, the image; see
 * scripts/build.ts). A literal `./engine-thread.ts` would be missing from the build.
 */
export function threadScript(from: string, name: string): URL {
  const extension = new URL(from).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, from);
}
