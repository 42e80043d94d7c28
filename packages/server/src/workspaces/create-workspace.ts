import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { IdGenerator } from '../ids.ts';
import { type AppliedKit, applyKitFile, validateKitFiles } from '../kits/apply-kit-file.ts';
import { type KitFile, readKitFile } from '../kits/kit-file.ts';
import type { KitLimits } from '../kits/kit-limits.ts';
import type { Store } from '../store/store.ts';
import type { WorkspaceRecord } from './records.ts';

export interface WorkspaceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Engines the starter Kits may use (validated like any Kit file). */
  engines: ReadonlySet<string>;
  /** The configured limits of Kits and Bricks, which the starter Kits meet like any Kit file. */
  config: KitLimits;
}

/** Another create took the name first. */
export class WorkspaceNameTaken extends Error {
  constructor(name: string) {
    super(`a workspace named "${name}" already exists`);
  }
}

/** Kit files of a directory, in name order. */
export async function kitFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** The Kit files of a directory, read and parsed, with their paths as names. */
async function readKitFiles(dir: string): Promise<{ file: KitFile; name: string }[]> {
  return Promise.all(
    (await kitFilesIn(dir)).map(async (path) => ({ file: await readKitFile(path), name: path })),
  );
}

/** Applies `files` to a workspace, published; what is already there is left as it is. */
async function applyPublished(
  deps: WorkspaceDeps,
  workspaceId: string,
  files: readonly { file: KitFile; name: string }[],
): Promise<AppliedKit[]> {
  const kits: AppliedKit[] = [];
  for (const { file, name } of files) {
    const applied = await applyKitFile(deps, workspaceId, file, name, { publish: true });
    if (applied) kits.push(applied);
  }
  return kits;
}

/**
 * A new workspace with the starter Kits of `kitsDir`, published under their own codes (SPEC §9.2:
 * codes are unique per workspace, so every workspace has `A1B2C3D4`, and the public docs' example
 * request works with any workspace's key).
 */
export async function createWorkspace(
  deps: WorkspaceDeps,
  name: string,
  kitsDir: string,
): Promise<{ workspace: WorkspaceRecord; kits: AppliedKit[] }> {
  const workspace = { id: `ws_${deps.ids.ulid()}`, name, createdAt: deps.clock.now() };
  // Every starter file is read and checked first: one the limits refuse leaves no workspace behind.
  const files = await readKitFiles(kitsDir);
  await validateKitFiles(deps, workspace.id, files);
  try {
    await deps.store.workspaceInsert(workspace);
  } catch (error) {
    // Names are unique: one taken meanwhile (a concurrent create) is not a storage failure.
    if (await deps.store.workspaceGetByName(name)) throw new WorkspaceNameTaken(name);
    throw error;
  }
  return { workspace, kits: await applyPublished(deps, workspace.id, files) };
}

/**
 * The workspace of this name, created (with the starter Kits, which `kits` lists) when there is
 * none. Safe against a concurrent create of the same name (two `up` processes' first start on one
 * PostgreSQL): the loser of the unique name re-reads the winner's workspace.
 */
export async function findOrCreateWorkspace(
  deps: WorkspaceDeps,
  name: string,
  kitsDir: string,
): Promise<
  | { workspace: WorkspaceRecord; created: true; kits: AppliedKit[] }
  | { workspace: WorkspaceRecord; created: false }
> {
  const existing = await deps.store.workspaceGetByName(name);
  if (existing) return { workspace: existing, created: false };
  try {
    return { ...(await createWorkspace(deps, name, kitsDir)), created: true };
  } catch (error) {
    if (!(error instanceof WorkspaceNameTaken)) throw error;
    return { workspace: (await deps.store.workspaceGetByName(name))!, created: false };
  }
}

/**
 * Applies the starter Kits of `kitsDir` to an existing workspace, published; what is already there
 * is left as it is (every apply is insert-if-new).
 */
export async function applyStarterKits(
  deps: WorkspaceDeps,
  workspaceId: string,
  kitsDir: string,
): Promise<AppliedKit[]> {
  return applyPublished(deps, workspaceId, await readKitFiles(kitsDir));
}
