/** bin/semarize.js runs the compiled build only while it was built from the sources as they are. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, sourcesStamp, writeStamp } from '../../bin/sources-stamp.js';

let dir: string;
let src: string;
let out: string;
const built = () => writeStamp(src, out, sourcesStamp(src));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'semarize-stamp-'));
  src = join(dir, 'src');
  out = join(dir, 'dist');
  mkdirSync(join(src, 'cli'), { recursive: true });
  mkdirSync(out);
  writeFileSync(join(src, 'server.ts'), 'export {};\n');
  writeFileSync(join(src, 'cli/main.ts'), 'export {};\n');
  for (const file of ['server.ts', 'cli/main.ts']) utimesSync(join(src, file), 1_000, 1_000);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('buildIsCurrent', () => {
  it('is false with no build, true once built, and false again after an edit', () => {
    expect(buildIsCurrent(src, out)).toBe(false);
    expect(built()).toBe(true);
    expect(buildIsCurrent(src, out)).toBe(true);
    utimesSync(join(src, 'cli/main.ts'), 2_000, 2_000);
    expect(buildIsCurrent(src, out)).toBe(false);
  });

  it('is false after a file is added, removed or renamed, even with no newer time', () => {
    built();
    writeFileSync(join(src, 'new-module.ts'), 'export {};\n');
    utimesSync(join(src, 'new-module.ts'), 1_000, 1_000);
    expect(buildIsCurrent(src, out)).toBe(false);
    built();
    unlinkSync(join(src, 'new-module.ts'));
    expect(buildIsCurrent(src, out)).toBe(false);
    built();
    renameSync(join(src, 'server.ts'), join(src, 'service.ts')); // keeps its time and the count
    expect(buildIsCurrent(src, out)).toBe(false);
  });

  it('leaves a build unstamped when the sources changed while it compiled', () => {
    const before = sourcesStamp(src);
    utimesSync(join(src, 'server.ts'), 3_000, 3_000); // saved during the build
    expect(writeStamp(src, out, before)).toBe(false);
    expect(buildIsCurrent(src, out)).toBe(false);
  });

  it('is false when the stamp is not one it wrote; true for a stamped build with no sources beside it', () => {
    writeFileSync(join(out, '.sources.json'), 'not json');
    expect(buildIsCurrent(src, out)).toBe(false);
    built();
    rmSync(src, { recursive: true });
    expect(buildIsCurrent(src, out)).toBe(true);
  });
});
