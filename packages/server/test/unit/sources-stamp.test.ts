/** bin/semarize.js runs the compiled build only while it was built from the sources as they are. */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, writeStamp } from '../../bin/sources-stamp.js';

let dir: string;
let src: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'semarize-stamp-'));
  src = join(dir, 'src');
  out = join(dir, 'dist');
  mkdirSync(join(src, 'cli'), { recursive: true });
  mkdirSync(out);
  writeFileSync(join(src, 'server.ts'), 'export {};\n');
  writeFileSync(join(src, 'cli/main.ts'), 'export {};\n');
  // Sources older than the build, as after `npm install`.
  for (const file of ['server.ts', 'cli/main.ts']) utimesSync(join(src, file), 1_000, 1_000);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('buildIsCurrent', () => {
  it('is false with no build, true once built, and false again after any change to the sources', () => {
    expect(buildIsCurrent(src, out)).toBe(false);
    writeStamp(src, out);
    expect(buildIsCurrent(src, out)).toBe(true);

    utimesSync(join(src, 'cli/main.ts'), 2_000, 2_000); // an edit
    expect(buildIsCurrent(src, out)).toBe(false);
    writeStamp(src, out);
    expect(buildIsCurrent(src, out)).toBe(true);

    writeFileSync(join(src, 'new-module.ts'), 'export {};\n'); // a new file
    utimesSync(join(src, 'new-module.ts'), 1_000, 1_000);
    expect(buildIsCurrent(src, out)).toBe(false);
    writeStamp(src, out);

    unlinkSync(join(src, 'new-module.ts')); // a removed one: the newest time alone would not tell
    expect(buildIsCurrent(src, out)).toBe(false);
  });

  it('is false when the stamp is not one it wrote', () => {
    writeFileSync(join(out, '.sources.json'), 'not json');
    expect(buildIsCurrent(src, out)).toBe(false);
  });
});
