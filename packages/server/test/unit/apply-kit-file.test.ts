import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import { createIdGenerator, KIT_CODE_PATTERN } from '../../src/ids.ts';
import { applyKitFile, validateKitFiles } from '../../src/kits/apply-kit-file.ts';
import { KitFileError, parseKitFile } from '../../src/kits/kit-file.ts';
import { KIT_LIMIT_CEILINGS } from '../../src/kits/kit-limit-ceilings.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { WorkspaceRecord } from '../../src/workspaces/records.ts';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const FILE = 'kits/call-basics.yaml';

const BRICKS = `
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

const withKit = (kit: string, bricks = BRICKS) => parseKitFile(`${bricks}\nkit:\n${kit}`, FILE);
const CALL_BASICS = withKit('  code: A1B2C3D4\n  name: Call basics\n  description: The basics.');

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

let store: Store;
let time: number;
let acme: WorkspaceRecord;
let globex: WorkspaceRecord;
let deps: Parameters<typeof applyKitFile>[0];

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'semarize-apply-'));
  dirs.push(dir);
  store = openSqliteStore(join(dir, 'semarize.db'));
  time = T0;
  const clock: Clock = { now: () => time };
  deps = {
    store,
    clock,
    ids: createIdGenerator(clock),
    engines: new Set(['metric', 'tracker']),
    config: KIT_LIMIT_CEILINGS,
  };
  acme = { id: 'ws_acme', name: 'acme', createdAt: T0 };
  globex = { id: 'ws_globex', name: 'globex', createdAt: T0 };
  await store.workspaceInsert(acme);
  await store.workspaceInsert(globex);
});

afterEach(async () => {
  await store.close();
});

const apply = (file = CALL_BASICS, options = { publish: false }, workspace = acme, name = FILE) =>
  applyKitFile(deps, workspace.id, file, name, options);

async function brickVersion(key: string, workspace = acme) {
  return (await store.brickVersionGetLatest(workspace.id, key))?.version ?? null;
}

async function kitVersions(code: string, workspace = acme) {
  const kit = await store.kitGetByCode(workspace.id, code);
  if (!kit) return null;
  const latest = await store.kitVersionGetLatest(kit.id);
  return { kit, latest, published: await store.kitVersionGetLatestPublished(kit.id) };
}

describe('applyKitFile: versions', () => {
  it('first apply: version 1 of every Brick and a draft Kit version 1 pinning them', async () => {
    const applied = await apply();
    expect(applied).toMatchObject({ code: 'A1B2C3D4', version: 1, status: 'draft', changed: true });
    expect(await brickVersion('talk_ratio')).toBe(1);
    expect(await brickVersion('pricing_discussed')).toBe(1);
    const { latest, published } = (await kitVersions('A1B2C3D4'))!;
    expect(latest).toMatchObject({
      id: applied!.versionId,
      version: 1,
      status: 'draft',
      name: 'Call basics',
      description: 'The basics.',
      model: {},
      createdAt: T0,
    });
    expect(latest!.bricks.map((b) => [b.key, b.version])).toEqual([
      ['talk_ratio', 1],
      ['pricing_discussed', 1],
    ]);
    expect(published).toBeNull();
  });

  it('applying the same file again changes nothing', async () => {
    const first = await apply();
    time += 1_000;
    const again = await apply(parseKitFile(callBasicsText(), FILE));
    expect(again).toEqual({ ...first, changed: false });
    expect(await brickVersion('talk_ratio')).toBe(1);
    expect(await brickVersion('pricing_discussed')).toBe(1);
    expect((await kitVersions('A1B2C3D4'))?.latest?.version).toBe(1);
  });

  it('a changed Brick gets a new version, and the Kit a new draft pinning it', async () => {
    await apply();
    const changed = withKit(
      '  code: A1B2C3D4\n  name: Call basics\n  description: The basics.',
      BRICKS.replace('phrases: [price, pricing]', 'phrases: [price, pricing, budget]'),
    );
    const applied = await apply(changed);
    expect(applied).toMatchObject({ version: 2, changed: true, status: 'draft' });
    expect(await brickVersion('talk_ratio')).toBe(1);
    expect(await brickVersion('pricing_discussed')).toBe(2);
    const latest = (await kitVersions('A1B2C3D4'))?.latest;
    expect(latest?.bricks.map((b) => [b.key, b.version])).toEqual([
      ['talk_ratio', 1],
      ['pricing_discussed', 2],
    ]);
    expect(latest?.bricks[1]?.tracker?.phrases).toEqual(['price', 'pricing', 'budget']);
  });

  it('a changed Kit setting makes a new Kit version without new Brick versions', async () => {
    await apply();
    const renamed = withKit(
      '  code: A1B2C3D4\n  name: Call basics\n  description: Now with a longer description.',
    );
    expect(await apply(renamed)).toMatchObject({ version: 2, changed: true });
    const model = withKit(
      '  code: A1B2C3D4\n  name: Call basics\n  description: Now with a longer description.\n  model: { model: gpt-test }',
    );
    expect(await apply(model)).toMatchObject({ version: 3, changed: true });
    expect((await kitVersions('A1B2C3D4'))?.latest?.model).toEqual({ model: 'gpt-test' });
    expect(await brickVersion('talk_ratio')).toBe(1);
    expect(await brickVersion('pricing_discussed')).toBe(1);
  });

  it('kit.bricks chooses and orders the Bricks; one from the workspace may be reused', async () => {
    await apply(parseKitFile(BRICKS, 'bricks.yaml'));
    const file = parseKitFile(
      'kit:\n  code: A1B2C3D5\n  name: Pricing only\n  bricks: [pricing_discussed, talk_ratio]',
      'kits/pricing.yaml',
    );
    const applied = await apply(file);
    expect(applied).toMatchObject({ code: 'A1B2C3D5', version: 1 });
    expect((await kitVersions('A1B2C3D5'))?.latest?.bricks.map((b) => b.key)).toEqual([
      'pricing_discussed',
      'talk_ratio',
    ]);
  });

  it('a file without a kit section stores its Bricks and returns null', async () => {
    expect(await apply(parseKitFile(BRICKS, 'bricks.yaml'))).toBeNull();
    expect(await brickVersion('talk_ratio')).toBe(1);
  });

  it('a Kit without a code gets a generated one, and later applies find it by name', async () => {
    const file = withKit('  name: Discovery basics');
    const first = await apply(file);
    expect(first?.code).toMatch(KIT_CODE_PATTERN);
    expect(await store.kitExistsByCode(acme.id, first!.code)).toBe(true);
    const again = await apply(withKit('  name: Discovery basics'));
    expect(again).toEqual({ ...first, changed: false });
  });

  it('Bricks and Kits of one workspace are independent of another', async () => {
    await apply();
    const otherFile = withKit('  code: A1B2C3D6\n  name: Call basics');
    expect(await apply(otherFile, { publish: false }, globex)).toMatchObject({ version: 1, changed: true });
    expect(await brickVersion('talk_ratio', globex)).toBe(1);
    expect(await store.kitGetByCode(globex.id, 'A1B2C3D4')).toBeNull();
  });
});

/** The CALL_BASICS text re-parsed, so "unchanged" is judged on a fresh parse, as the CLI does it. */
function callBasicsText() {
  return `${BRICKS}\nkit:\n  code: A1B2C3D4\n  name: Call basics\n  description: The basics.`;
}

describe('applyKitFile: publishing', () => {
  it('--publish publishes the new version', async () => {
    const applied = await apply(CALL_BASICS, { publish: true });
    expect(applied).toMatchObject({ version: 1, status: 'published', changed: true });
    const { published } = (await kitVersions('A1B2C3D4'))!;
    expect(published).toMatchObject({ id: applied!.versionId, status: 'published', publishedAt: T0 });
  });

  it('publishing an unchanged file publishes its existing draft, without a new version', async () => {
    const draft = await apply();
    time += 5_000;
    const published = await apply(CALL_BASICS, { publish: true });
    expect(published).toEqual({ ...draft, status: 'published', changed: false });
    expect((await kitVersions('A1B2C3D4'))?.published).toMatchObject({ version: 1, publishedAt: T0 + 5_000 });
  });

  it('re-applying a published Kit unchanged leaves it published at its first time', async () => {
    await apply(CALL_BASICS, { publish: true });
    time += 5_000;
    expect(await apply(CALL_BASICS, { publish: true })).toMatchObject({
      version: 1,
      status: 'published',
      changed: false,
    });
    expect((await kitVersions('A1B2C3D4'))?.published?.publishedAt).toBe(T0);
  });

  it('without --publish, a change leaves the published version serving', async () => {
    const v1 = await apply(CALL_BASICS, { publish: true });
    const v2 = await apply(withKit('  code: A1B2C3D4\n  name: Call basics v2'));
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    const { latest, published } = (await kitVersions('A1B2C3D4'))!;
    expect(latest?.id).toBe(v2!.versionId);
    expect(published?.id).toBe(v1!.versionId);
  });
});

describe('applyKitFile: refusals', () => {
  function refusal(error: unknown): string {
    expect(error).toBeInstanceOf(KitFileError);
    return (error as KitFileError).message;
  }

  it('refuses an engine this server cannot run, naming the file and the path, and stores nothing', async () => {
    const file = parseKitFile(
      `${BRICKS}  - key: rapport\n    name: Rapport\n    engine: llm\n    output: { type: score }\nkit: { code: A1B2C3D4, name: Call basics }`,
      FILE,
    );
    const message = refusal(await apply(file).catch((e: unknown) => e));
    expect(message).toMatch(/^kits\/call-basics\.yaml: bricks\[2\]\.engine: unknown engine "llm"/);
    expect(message).toContain('metric');
    expect(await brickVersion('talk_ratio')).toBeNull();
    expect(await store.kitExistsByCode(acme.id, 'A1B2C3D4')).toBe(false);
  });

  it('refuses a metric or tracker Brick without its settings', async () => {
    const noMetric = parseKitFile(
      'bricks:\n  - { key: a, name: A, engine: metric, output: { type: number } }',
      FILE,
    );
    expect(refusal(await apply(noMetric).catch((e: unknown) => e))).toBe(
      'kits/call-basics.yaml: bricks[0].metric: required for the metric engine',
    );
    const noTracker = parseKitFile(
      'bricks:\n  - { key: a, name: A, engine: tracker, output: { type: boolean } }',
      FILE,
    );
    expect(refusal(await apply(noTracker).catch((e: unknown) => e))).toBe(
      'kits/call-basics.yaml: bricks[0].tracker: required for the tracker engine',
    );
    // The API's rules apply to files too: an empty tracker and a bad pattern could never match.
    const emptyTracker = parseKitFile(
      "bricks:\n  - { key: a, name: A, engine: tracker, tracker: { patterns: ['(unclosed'] }, output: { type: boolean } }",
      FILE,
    );
    expect(refusal(await apply(emptyTracker).catch((e: unknown) => e))).toBe(
      'kits/call-basics.yaml: bricks[0].tracker.patterns[0]: not a valid regular expression',
    );
  });

  it('a fixed code taken by another workspace is free here: each workspace has its own Kit', async () => {
    const theirs = await apply(CALL_BASICS, { publish: false }, globex);
    const ours = await apply(CALL_BASICS, { publish: false }, acme);
    expect(ours?.code).toBe('A1B2C3D4');
    expect(theirs?.code).toBe('A1B2C3D4');
    const acmeKit = await store.kitGetByCode(acme.id, 'A1B2C3D4');
    const globexKit = await store.kitGetByCode(globex.id, 'A1B2C3D4');
    expect(acmeKit?.workspaceId).toBe(acme.id);
    expect(globexKit?.workspaceId).toBe(globex.id);
    expect(acmeKit?.id).not.toBe(globexKit?.id);
    expect(await brickVersion('talk_ratio')).toBe(1);
    expect(await brickVersion('talk_ratio', globex)).toBe(1);
  });

  it('refuses a Kit naming a Brick that is neither in the file nor in the workspace, writing nothing', async () => {
    // The Brick exists, but in another workspace: that does not count.
    const sentiment =
      'bricks:\n  - { key: sentiment, name: S, engine: tracker, tracker: { phrases: [x] }, output: { type: boolean } }';
    await apply(parseKitFile(sentiment, 'g.yaml'), { publish: false }, globex);
    const file = withKit('  code: A1B2C3D4\n  name: Call basics\n  bricks: [talk_ratio, sentiment]');
    const message = refusal(await apply(file).catch((e: unknown) => e));
    expect(message).toMatch(
      /^kits\/call-basics\.yaml: kit\.bricks\[1\]: no Brick "sentiment" in the files? or the workspace$/,
    );
    expect(await store.kitExistsByCode(acme.id, 'A1B2C3D4')).toBe(false);
    expect(await brickVersion('talk_ratio')).toBeNull();
  });
});

describe('validateKitFiles (every file checked before any is applied)', () => {
  const files = (...entries: [string, string][]) =>
    entries.map(([name, text]) => ({ name, file: parseKitFile(text, name) }));

  it('a Kit may use Bricks defined in another file of the same apply, or already in the workspace', async () => {
    await apply(
      parseKitFile(
        'bricks:\n  - { key: existing, name: E, engine: tracker, tracker: { phrases: [x] }, output: { type: boolean } }',
        'e.yaml',
      ),
    );
    const batch = files(
      ['bricks.yaml', BRICKS],
      ['kit.yaml', 'kit: { code: A1B2C3D5, name: Mixed, bricks: [talk_ratio, existing] }'],
    );
    await expect(validateKitFiles(deps, acme.id, batch)).resolves.toBeUndefined();
    expect(await brickVersion('talk_ratio')).toBeNull();
  });

  it('names the bad file and the path when any file of the batch is wrong', async () => {
    const badEngine = files(
      ['good.yaml', BRICKS],
      ['bad.yaml', 'bricks:\n  - { key: tone, name: Tone, engine: llm, output: { type: boolean } }'],
    );
    await expect(validateKitFiles(deps, acme.id, badEngine)).rejects.toThrow(
      /^bad\.yaml: bricks\[0\]\.engine: unknown engine "llm"/,
    );
    const badReference = files(
      ['good.yaml', BRICKS],
      ['kit.yaml', 'kit: { name: Mixed, bricks: [talk_ratio, missing_brick] }'],
    );
    await expect(validateKitFiles(deps, acme.id, badReference)).rejects.toThrow(
      'kit.yaml: kit.bricks[1]: no Brick "missing_brick"',
    );
  });
});

describe('applying the same Kit file concurrently', () => {
  it('two applies at once make one Brick version per change, one Kit and one Kit version', async () => {
    const results = await Promise.all([
      applyKitFile(deps, acme.id, CALL_BASICS, FILE, { publish: true }),
      applyKitFile(deps, acme.id, CALL_BASICS, FILE, { publish: true }),
    ]);
    expect(results.map((r) => r?.code)).toEqual(['A1B2C3D4', 'A1B2C3D4']);
    expect(new Set(results.map((r) => r?.versionId)).size).toBe(1);
    expect((await store.brickVersionList(acme.id, 'talk_ratio')).map((b) => b.version)).toEqual([1]);
    const kit = await store.kitGetByCode(acme.id, 'A1B2C3D4');
    expect((await store.kitVersionList(kit!.id)).map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
    ]);
  });

  it('an apply racing a changed file takes the next free version numbers instead of failing', async () => {
    await applyKitFile(deps, acme.id, CALL_BASICS, FILE, { publish: true });
    const changed = withKit(
      '  code: A1B2C3D4\n  name: Call basics\n  description: The basics.',
      BRICKS.replace('[price, pricing]', '[price, pricing, cost]'),
    );
    const renamed = withKit('  code: A1B2C3D4\n  name: Call basics (renamed)\n  description: The basics.');
    const [a, b] = await Promise.all([
      applyKitFile(deps, acme.id, changed, FILE, { publish: false }),
      applyKitFile(deps, acme.id, renamed, FILE, { publish: false }),
    ]);
    const kit = await store.kitGetByCode(acme.id, 'A1B2C3D4');
    const versions = await store.kitVersionList(kit!.id);
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(new Set([a?.version, b?.version])).toEqual(new Set([2, 3]));
    expect((await store.brickVersionList(acme.id, 'pricing_discussed')).map((v) => v.version)).toEqual([
      2, 1,
    ]);
  });

  it('a Kit file without a code, applied twice at once, succeeds both times with one version per Brick', async () => {
    const noCode = withKit('  name: Discovery\n  description: Discovery checks.');
    const results = await Promise.all([
      applyKitFile(deps, acme.id, noCode, FILE, { publish: false }),
      applyKitFile(deps, acme.id, noCode, FILE, { publish: false }),
    ]);
    for (const r of results) expect(r?.code).toMatch(KIT_CODE_PATTERN);
    expect((await store.brickVersionList(acme.id, 'talk_ratio')).map((b) => b.version)).toEqual([1]);
  });
});
