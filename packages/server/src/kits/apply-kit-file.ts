import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock.ts';
import { formatIssuePath } from '../errors/invalid-request.ts';
import { type IdGenerator, newKitCode } from '../ids.ts';
import type { Store } from '../store/store.ts';
import type { BrickDefinition } from './brick.ts';
import { brickIssues } from './brick-rules.ts';
import { type KitFile, KitFileError } from './kit-file.ts';
import type { KitVersionRecord } from './records.ts';

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
 * Checks what parsing cannot: engines this server runs, and Kit Brick references that exist in one
 * of the files or the workspace. Run over every file before applying any, so a bad one changes nothing.
 */
export async function validateKitFiles(
  deps: Pick<Deps, 'store' | 'engines'>,
  workspaceId: string,
  files: readonly { file: KitFile; name: string }[],
): Promise<void> {
  const inFiles = new Set(files.flatMap(({ file }) => file.bricks.map((b) => b.key)));
  for (const { file, name } of files) {
    file.bricks.forEach((b, i) => {
      checkEngine(b, i, name, deps.engines);
    });
    for (const [i, key] of (file.kit?.bricks ?? []).entries()) {
      if (!inFiles.has(key) && !(await deps.store.latestBrickVersion(workspaceId, key))) {
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
  const { store, clock, ids } = deps;
  await validateKitFiles(deps, workspaceId, [{ file, name }]);

  const current = new Map<string, BrickDefinition>();
  for (const brick of file.bricks) {
    const latest = await store.latestBrickVersion(workspaceId, brick.key);
    if (latest && isDeepStrictEqual({ ...latest.definition, version: 0 }, { ...brick, version: 0 })) {
      current.set(brick.key, latest.definition);
      continue;
    }
    const definition: BrickDefinition = { ...brick, version: (latest?.version ?? 0) + 1 };
    await store.insertBrickVersion({
      id: `brv_${ids.ulid()}`,
      workspaceId,
      key: brick.key,
      version: definition.version,
      definition,
      createdAt: clock.now(),
    });
    current.set(brick.key, definition);
  }

  if (!file.kit) return null;
  const kitSpec = file.kit;
  const bricks: BrickDefinition[] = [];
  for (const [i, key] of (kitSpec.bricks ?? file.bricks.map((b) => b.key)).entries()) {
    const definition = current.get(key) ?? (await store.latestBrickVersion(workspaceId, key))?.definition;
    if (!definition)
      throw new KitFileError(`${name}: kit.bricks[${i}]: no Brick "${key}" in this file or the workspace`);
    bricks.push(definition);
  }
  if (bricks.length === 0) throw new KitFileError(`${name}: kit: a Kit needs at least one Brick`);

  // A Kit is identified by its code; a file without one is matched by the Kit's name.
  let kit = kitSpec.code
    ? await store.findKitByCode(workspaceId, kitSpec.code)
    : await store.findKitByName(workspaceId, kitSpec.name);
  if (!kit) {
    // Codes are unique per workspace (SPEC §9.2): a chosen code is free here, as findKitByCode said.
    let code = kitSpec.code;
    while (!code || (await store.kitCodeExists(workspaceId, code))) code = newKitCode();
    kit = { id: `kit_${ids.ulid()}`, workspaceId, code, name: kitSpec.name, createdAt: clock.now() };
    await store.insertKit(kit);
  }

  const latest = await store.latestKitVersion(kit.id);
  const unchanged =
    latest &&
    latest.name === kitSpec.name &&
    latest.description === kitSpec.description &&
    isDeepStrictEqual(latest.model, kitSpec.model) &&
    isDeepStrictEqual(latest.bricks, bricks);
  let version = latest;
  if (!unchanged) {
    version = {
      id: ids.uuid(),
      kitId: kit.id,
      kitCode: kit.code,
      workspaceId,
      version: (latest?.version ?? 0) + 1,
      status: 'draft',
      name: kitSpec.name,
      description: kitSpec.description,
      model: kitSpec.model,
      bricks,
      createdAt: clock.now(),
      publishedAt: null,
    };
    await store.insertKitVersion(version);
  }
  if (!version) throw new Error('unreachable: a Kit without a version');
  if (options.publish && version.status === 'draft') {
    await store.publishKitVersion(version.id, clock.now());
    version = { ...version, status: 'published', publishedAt: clock.now() };
  }
  return {
    code: kit.code,
    versionId: version.id,
    version: version.version,
    status: version.status,
    changed: !unchanged,
  };
}
