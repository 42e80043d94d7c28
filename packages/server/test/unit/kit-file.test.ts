import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssuePath } from '../../src/errors/invalid-request.ts';
import { KitFileError, parseKitFile, readKitFile } from '../../src/kits/kit-file.ts';

const YAML_FILE = `
kit:
  code: A1B2C3D4
  name: Call basics
bricks:
  - key: talk_ratio
    name: Talk ratio
    engine: metric
    metric: { name: talk_ratio }
    output: { type: number, min: 0, max: 100, unit: percent }
    evidence: none
  - key: pricing_discussed
    name: Pricing discussed
    engine: tracker
    tracker: { phrases: [price, pricing] }
    output: { type: boolean }
`;

function errorOf(work: () => unknown): KitFileError {
  try {
    work();
  } catch (error) {
    if (error instanceof KitFileError) return error;
    throw error;
  }
  throw new Error('expected a KitFileError');
}

describe('parseKitFile', () => {
  it('reads a YAML file and fills the documented defaults', () => {
    const file = parseKitFile(YAML_FILE, 'kits/call-basics.yaml');
    expect(file.kit).toEqual({ code: 'A1B2C3D4', name: 'Call basics', description: '', model: {} });
    expect(file.bricks).toHaveLength(2);
    expect(file.bricks[0]).toEqual({
      key: 'talk_ratio',
      name: 'Talk ratio',
      description: '',
      engine: 'metric',
      metric: { name: 'talk_ratio' },
      output: { type: 'number', min: 0, max: 100, unit: 'percent' },
      evidence: 'none',
      confidence: 'required',
      sources: ['call', 'email', 'chat', 'note'],
    });
    expect(file.bricks[1]?.tracker).toEqual({
      phrases: ['price', 'pricing'],
      case_sensitive: false,
      patterns: [],
      stem: true,
      negation: true,
      side: 'any',
      speakers: [],
      as_question: false,
    });
  });

  it('reads a .json file as JSON, with the same result as the YAML', () => {
    const json = JSON.stringify({
      kit: { code: 'A1B2C3D4', name: 'Call basics' },
      bricks: [
        {
          key: 'talk_ratio',
          name: 'Talk ratio',
          engine: 'metric',
          metric: { name: 'talk_ratio' },
          output: { type: 'number', min: 0, max: 100, unit: 'percent' },
          evidence: 'none',
        },
        {
          key: 'pricing_discussed',
          name: 'Pricing discussed',
          engine: 'tracker',
          tracker: { phrases: ['price', 'pricing'] },
          output: { type: 'boolean' },
        },
      ],
    });
    expect(parseKitFile(json, 'kits/call-basics.json')).toEqual(parseKitFile(YAML_FILE, 'call-basics.yaml'));
  });

  it('a file of Bricks only has no kit, and a file of a kit only has no Bricks', () => {
    expect(parseKitFile('bricks: []', 'b.yaml')).toEqual({ bricks: [] });
    expect(parseKitFile('kit: { name: Reuse, bricks: [talk_ratio] }', 'k.yaml').bricks).toEqual([]);
  });

  it('names the file and the path of each problem, one per line', () => {
    const text = `
bricks:
  - key: stage
    name: Stage
    engine: llm
    output: { type: category, options: [discovery] }
  - key: Bad-Key
    name: Bad
    engine: llm
    output: { type: boolean }
kit: { name: Sales, code: ABCDEFGI }
`;
    const lines = errorOf(() => parseKitFile(text, 'kits/sales.yaml')).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.startsWith('kits/sales.yaml: '))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^kits\/sales\.yaml: bricks\[0\]\.output\.options: /));
    expect(lines).toContainEqual(expect.stringMatching(/^kits\/sales\.yaml: bricks\[1\]\.key: snake_case/));
    expect(lines).toContainEqual('kits/sales.yaml: kit.code: 8 characters of 0-9 and A-Z without I, L, O, U');
  });

  it('refuses unknown fields, and a version number on a Brick (versions are assigned on apply)', () => {
    const unknownTop = errorOf(() => parseKitFile('bricks: []\nkits: []', 'x.yaml')).message;
    expect(unknownTop).toMatch(/^x\.yaml: \(root\): .*"kits"/);
    const versioned = `
bricks:
  - key: a
    version: 3
    name: A
    engine: llm
    output: { type: boolean }
`;
    expect(errorOf(() => parseKitFile(versioned, 'x.yaml')).message).toMatch(
      /^x\.yaml: bricks\[0\]: .*"version"/,
    );
    const unknownOutput =
      'bricks:\n  - { key: a, name: A, engine: llm, output: { type: boolean, scale: 5 } }';
    expect(errorOf(() => parseKitFile(unknownOutput, 'x.yaml')).message).toMatch(
      /^x\.yaml: bricks\[0\]\.output: /,
    );
  });

  it('says when the text is not YAML or not JSON at all', () => {
    expect(errorOf(() => parseKitFile('bricks: [', 'broken.yaml')).message).toMatch(
      /^broken\.yaml: not valid YAML: /,
    );
    expect(errorOf(() => parseKitFile('bricks: []', 'broken.json')).message).toMatch(
      /^broken\.json: not valid JSON: /,
    );
  });
});

describe('readKitFile', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reads and parses a file from disk, naming it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'semarize-kit-file-'));
    dirs.push(dir);
    const good = join(dir, 'good.yaml');
    await writeFile(good, YAML_FILE);
    expect((await readKitFile(good)).kit?.code).toBe('A1B2C3D4');

    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'bricks:\n  - { key: a, name: A, engine: llm, output: { type: score, min: low } }');
    await expect(readKitFile(bad)).rejects.toThrow(`${bad}: bricks[0].output.min: `);
  });

  it('a missing file is a KitFileError naming the path and the reason', async () => {
    const missing = join(tmpdir(), 'semarize-no-such-dir', 'kit.yaml');
    await expect(readKitFile(missing)).rejects.toBeInstanceOf(KitFileError);
    await expect(readKitFile(missing)).rejects.toThrow(`${missing}: cannot read: ENOENT`);
  });
});

describe('formatIssuePath', () => {
  it('writes property names with dots and indexes in brackets', () => {
    expect(formatIssuePath(['bricks', 2, 'output', 'options'])).toBe('bricks[2].output.options');
    expect(formatIssuePath(['kit', 'bricks', 0])).toBe('kit.bricks[0]');
    expect(formatIssuePath([0, 'key'])).toBe('[0].key');
    expect(formatIssuePath([])).toBe('(root)');
  });
});

describe('parseKitFile: the Kit limit of SPEC §9.3', () => {
  const bricks = Array.from({ length: 101 }, (_, i) => ({
    key: `brick_${i}`,
    name: `Brick ${i}`,
    engine: 'tracker',
    tracker: { phrases: [`word${i}`] },
    output: { type: 'boolean' },
  }));

  it('refuses a Kit of more than 100 Bricks, listed or taken from the whole file', () => {
    const whole = JSON.stringify({ bricks, kit: { name: 'Huge' } });
    expect(() => parseKitFile(whole, 'huge.json')).toThrow(
      /huge\.json: bricks: a Kit has at most 100 Bricks/,
    );
    const listed = JSON.stringify({ bricks, kit: { name: 'Huge', bricks: bricks.map((b) => b.key) } });
    expect(() => parseKitFile(listed, 'huge.json')).toThrow(/kit\.bricks/);
  });

  it('still takes a file of more Bricks than that when its Kit lists at most 100', () => {
    const some = JSON.stringify({ bricks, kit: { name: 'Some', bricks: ['brick_0', 'brick_100'] } });
    expect(parseKitFile(some, 'some.json').bricks).toHaveLength(101);
  });
});
