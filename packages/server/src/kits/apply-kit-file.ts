import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock.ts';
import { formatIssuePath } from '../errors/invalid-request.ts';
import { type IdGenerator, newKitCode } from '../ids.ts';
import type { Store } from '../store/store.ts';
import type { BrickDefinition } from './brick.ts';
import { brickIssues } from './brick-rules.ts';
import { type KitFile, KitFileError } from './kit-file.ts';
import { type KitLimits, kitFileLimitIssues } from './kit-limits.ts';
import type { KitRecord, KitVersionRecord } from './records.ts';

export interface AppliedKit {
  code: string;
  versionId: string;
  version: number;
  status: KitVersionRecord['status'];
  changed: boolean;
}

interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Engines this server can run; a Brick naming another engine is refused. */
  engines: ReadonlySet<string>;
  /** The configured limits, checked like the API's (the file's schema checks the ceilings). */
  config: KitLimits;
}

function checkEngine(
  brick: Omit<BrickDefinition, 'version'>,
  index: number,
  name: string,
  engines: ReadonlySet<string>,
) {
  const at = `${name}: bricks[${index}]`;
  if (!engines.has(brick.engine)) {
    throw new KitFileError(
      `${at}.engine: unknown engine "${brick.engine}" (expected one of ${[...engines].join(', ')})`,
    );
  }
  // The same rules as the API: a Brick that could never run is refused when it is written.
  const issues = brickIssues(brick);
  if (issues.length > 0) {
    throw new KitFileError(issues.map((i) => `${at}.${formatIssuePath(i.path)}: ${i.message}`).join('\n'));
  }
}

/**
 * Checks what parsing cannot: the configured limits, engines this server runs, and Kit Brick
 * references that exist in one of the files or the workspace. Run over every file before applying
 * any, so a bad one changes nothing.
 */
export async function validateKitFiles(
  deps: Pick<Deps, 'store' | 'engines' | 'config'>,
  workspaceId: string,
  files: readonly { file: KitFile; name: string }[],
): Promise<void> {
  const inFiles = new Set(files.flatMap(({ file }) => file.bricks.map((b) => b.key)));
  for (const { file, name } of files) {
    const overLimits = kitFileLimitIssues(deps.config, file);
    if (overLimits.length > 0) {
      throw new KitFileError(
        overLimits.map((i) => `${name}: ${formatIssuePath(i.path)}: ${i.message}`).join('\n'),
      );
    }
    file.bricks.forEach((b, i) => {
      checkEngine(b, i, name, deps.engines);
    });
    for (const [i, key] of (file.kit?.bricks ?? []).entries()) {
      if (!inFiles.has(key) && !(await deps.store.brickVersionGetLatest(workspaceId, key))) {
        throw new KitFileError(`${name}: kit.bricks[${i}]: no Brick "${key}" in the files or the workspace`);
      }
    }
  }
}

/**
 * Applies one parsed Kit file to a workspace: a Brick gets a new version when its definition
 * changed, the Kit a new draft version when its Bricks or settings changed; `publish` publishes it.
 */
export async function applyKitFile(
  deps: Deps,
  workspaceId: string,
  file: KitFile,
  name: string,
  options: { publish: boolean },
): Promise<AppliedKit | null> {
  const { store, clock } = deps;
  await validateKitFiles(deps, workspaceId, [{ file, name }]);

  const current = new Map<string, BrickDefinition>();
  for (const brick of file.bricks) current.set(brick.key, await applyBrick(deps, workspaceId, brick));

  if (!file.kit) return null;
  const kitSpec = file.kit;
  const bricks: BrickDefinition[] = [];
  for (const [i, key] of (kitSpec.bricks ?? file.bricks.map((b) => b.key)).entries()) {
    const definition = current.get(key) ?? (await store.brickVersionGetLatest(workspaceId, key))?.definition;
    if (!definition)
      throw new KitFileError(`${name}: kit.bricks[${i}]: no Brick "${key}" in this file or the workspace`);
    bricks.push(definition);
  }
  if (bricks.length === 0) throw new KitFileError(`${name}: kit: a Kit needs at least one Brick`);

  const { kit, version: latest, changed } = await applyKit(deps, workspaceId, kitSpec, bricks);
  let version = latest;
  if (!version) throw new Error('unreachable: a Kit without a version');
  if (options.publish && version.status === 'draft') {
    await store.kitVersionPublish(version.id, clock.now());
    version = { ...version, status: 'published', publishedAt: clock.now() };
  }
  return {
    code: kit.code,
    versionId: version.id,
    version: version.version,
    status: version.status,
    changed,
  };
}

/*
 * Applying races with other applies and with API writes of the same Brick or Kit (several `up`
 * processes applying the starter Kits, an admin editing one): every write is an insert-if-new, and
 * one that loses re-reads and decides again, so a race costs a retry, never a failed apply or a
 * duplicate version. A version that someone else wrote with the same content counts as ours.
 */

/** The Brick's current definition after applying `brick`: its latest version, or a new one. */
async function applyBrick(
  deps: Deps,
  workspaceId: string,
  brick: KitFile['bricks'][number],
): Promise<BrickDefinition> {
  const { store, clock, ids } = deps;
  for (;;) {
    const latest = await store.brickVersionGetLatest(workspaceId, brick.key);
    if (latest && isDeepStrictEqual({ ...latest.definition, version: 0 }, { ...brick, version: 0 })) {
      return latest.definition;
    }
    const definition: BrickDefinition = { ...brick, version: (latest?.version ?? 0) + 1 };
    const inserted = await store.brickVersionInsertIfNew({
      id: `brv_${ids.ulid()}`,
      workspaceId,
      key: brick.key,
      version: definition.version,
      definition,
      createdAt: clock.now(),
    });
    if (inserted) return definition;
  }
}

type KitSpec = NonNullable<KitFile['kit']>;

function sameContent(version: KitVersionRecord, spec: KitSpec, bricks: readonly BrickDefinition[]): boolean {
  return (
    version.name === spec.name &&
    version.description === spec.description &&
    isDeepStrictEqual(version.model, spec.model) &&
    isDeepStrictEqual(version.bricks, bricks)
  );
}

/**
 * The Kit (found by its code, or by name when the file has none; created when missing) and its
 * latest version after applying: the existing one when its content is the file's, else a new draft.
 */
async function applyKit(
  deps: Deps,
  workspaceId: string,
  spec: KitSpec,
  bricks: BrickDefinition[],
): Promise<{ kit: KitRecord; version: KitVersionRecord; changed: boolean }> {
  const { store, clock, ids } = deps;
  const draft = (kit: KitRecord, number: number): KitVersionRecord => ({
    id: ids.uuid(),
    kitId: kit.id,
    kitCode: kit.code,
    workspaceId,
    version: number,
    status: 'draft',
    name: spec.name,
    description: spec.description,
    model: spec.model,
    bricks,
    createdAt: clock.now(),
    publishedAt: null,
  });
  for (;;) {
    const kit = spec.code
      ? await store.kitGetByCode(workspaceId, spec.code)
      : await store.kitGetByName(workspaceId, spec.name);
    if (!kit) {
      // Codes are unique per workspace (SPEC §9.2). A taken code means another writer created the
      // Kit (a chosen code: found on the next pass) or drew the same random code (draw again).
      const code = spec.code || (await freeKitCode(store, workspaceId));
      const created: KitRecord = {
        id: `kit_${ids.ulid()}`,
        workspaceId,
        code,
        name: spec.name,
        createdAt: clock.now(),
      };
      const first = draft(created, 1);
      if (await store.kitInsertWithFirstVersion(created, first))
        return { kit: created, version: first, changed: true };
      continue;
    }
    const latest = await store.kitVersionGetLatest(kit.id);
    if (latest && sameContent(latest, spec, bricks)) return { kit, version: latest, changed: false };
    const next = draft(kit, (latest?.version ?? 0) + 1);
    if (await store.kitVersionInsertIfNew(next)) return { kit, version: next, changed: true };
  }
}

async function freeKitCode(store: Store, workspaceId: string): Promise<string> {
  for (;;) {
    const code = newKitCode();
    if (!(await store.kitExistsByCode(workspaceId, code))) return code;
  }
}
