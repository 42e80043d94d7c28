/**
 * The layering of packages/server/src (docs/architecture.md §2), as a rule that fails when a file
 * imports one it must not. Folders sit in layers; a file may import its own layer and the ones
 * below, never one above. Records (`<concept>/records.ts`) and the error catalog (`errors/`) are
 * the types layer: importable from anywhere, and at run time they import nothing but each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** Top to bottom. A folder's files may import folders of their own layer or of a lower one. */
const LAYERS: readonly (readonly string[])[] = [
  // Entry points, and the assembly that starts them.
  ['cli', 'http', 'mcp', 'console', 'server.ts'],
  // Use cases and the background services that carry them out.
  ['runs', 'kits', 'keys', 'workspaces', 'executor', 'webhooks', 'retention', 'metrics'],
  // Judging a conversation. kits/brick.ts and kits/output-schema.ts are the Brick definition the
  // engines judge by, so they belong here rather than with the Kit use cases.
  [
    'evaluation',
    'engines',
    'engine-threads',
    'conversation',
    'models',
    'reuse',
    'kits/brick.ts',
    'kits/output-schema.ts',
  ],
  ['events'],
  ['store'],
  // Basics every layer may use, and the lifecycle every background service shares.
  [
    'config.ts',
    'clock.ts',
    'ids.ts',
    'logger.ts',
    'bounded-map.ts',
    'canonical-json.ts',
    'fair-queue.ts',
    'fair-turns.ts',
    'invocation-dir.ts',
    'thread-script.ts',
    'services',
    // The provider names config validates against: a leaf list, kept with the providers.
    'models/providers.ts',
    // The Kit and tracker ceilings config validates against: a leaf, kept with the Kits.
    'kits/kit-limit-ceilings.ts',
  ],
];

/**
 * Known imports against the rule, each with the reason it stays for now. The test also fails when
 * one of these no longer exists, so the list only shrinks.
 */
const EXCEPTIONS: Record<string, string> = {};

const isTypesLayer = (file: string) => file.startsWith('errors/') || /(^|\/)records\.ts$/u.test(file);

function layerOf(file: string): number {
  // A file entry wins over its folder's.
  const byFile = LAYERS.findIndex((layer) => layer.includes(file));
  if (byFile >= 0) return byFile;
  const folder = file.split('/')[0]!;
  const byFolder = LAYERS.findIndex((layer) => layer.includes(folder));
  if (byFolder < 0) throw new Error(`${file}: its folder is in no layer; add it to LAYERS`);
  return byFolder;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s)?[^'"]*?\sfrom\s+'([^']+)'|import\('([^']+)'\)/gu;

/** Every import of a source file: the path relative to src/ (or the bare specifier), and whether only types. */
function importsOf(file: string): { to: string; typeOnly: boolean }[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[3] ?? m[4])!;
    return {
      to: spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec,
      typeOnly: m[2] !== undefined,
    };
  });
}

const files = sourceFiles(SRC);
const edges = files.flatMap((from) => importsOf(from).map((edge) => ({ from, ...edge })));

describe('layering of packages/server/src', () => {
  it('finds the source tree (the rule below is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(edges.filter((e) => !e.to.startsWith('..') && e.to.endsWith('.ts')).length).toBeGreaterThan(500);
  });

  it('no file imports a layer above its own', () => {
    const upward = edges
      .filter(
        ({ from, to }) =>
          to.endsWith('.ts') && !to.startsWith('..') && !isTypesLayer(to) && !isTypesLayer(from),
      )
      .filter(({ from, to }) => layerOf(to) < layerOf(from))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(upward.filter((edge) => !(edge in EXCEPTIONS))).toEqual([]);
    expect(Object.keys(EXCEPTIONS).filter((edge) => !upward.includes(edge))).toEqual([]);
  });

  it('records and the error catalog import only each other at run time (they are the types layer)', () => {
    const leaks = edges
      .filter(
        ({ from, to, typeOnly }) =>
          isTypesLayer(from) && to.endsWith('.ts') && !typeOnly && !isTypesLayer(to),
      )
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(leaks).toEqual([]);
  });

  it('the server reaches the SDK as the @semarize/client package, never by a path into it', () => {
    const byPath = edges.filter(({ to }) => to.startsWith('..')).map(({ from, to }) => `${from} -> ${to}`);
    expect(byPath).toEqual([]);
  });
});
