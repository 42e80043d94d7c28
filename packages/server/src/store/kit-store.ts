import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';

/** The catalogue part of the Store: Brick versions, Kits and Kit versions. */
export interface KitStore {
  // Bricks and Kits
  brickVersionInsert(brick: BrickVersionRecord): Promise<void>;
  brickVersionGetLatest(workspaceId: string, key: string): Promise<BrickVersionRecord | null>;
  kitInsert(kit: KitRecord): Promise<void>;
  kitGetByCode(workspaceId: string, code: string): Promise<KitRecord | null>;
  /** The oldest Kit with this name in the workspace (Kit files without a code are matched by name). */
  kitGetByName(workspaceId: string, name: string): Promise<KitRecord | null>;
  /** Kit codes are unique per workspace (SPEC §9.2): another workspace's codes are never seen. */
  kitExistsByCode(workspaceId: string, code: string): Promise<boolean>;
  kitVersionInsert(version: KitVersionRecord): Promise<void>;
  kitVersionPublish(versionId: string, at: number): Promise<boolean>;
  kitVersionGetLatest(kitId: string): Promise<KitVersionRecord | null>;
  kitVersionGetLatestPublished(kitId: string): Promise<KitVersionRecord | null>;
  /**
   * What a run created by Kit code needs, in one lookup: null when the workspace has no Kit with
   * this code, `versionId: null` when it has no published version.
   */
  kitGetPublishedVersionId(workspaceId: string, code: string): Promise<{ versionId: string | null } | null>;
  kitVersionGet(workspaceId: string, versionId: string): Promise<KitVersionRecord | null>;
  /** For the executor: a run's Kit version, whatever its workspace. */
  kitVersionGetUnscoped(versionId: string): Promise<KitVersionRecord | null>;

  // Brick and Kit management (the /v1/bricks and /v1/kits endpoints)
  /**
   * Inserts a Brick version unless the workspace already has this key at this version; returns
   * false (and writes nothing) when it does, so concurrent writers can pick the next number.
   */
  brickVersionInsertIfNew(brick: BrickVersionRecord): Promise<boolean>;
  brickVersionGet(workspaceId: string, key: string, version: number): Promise<BrickVersionRecord | null>;
  /** Every version of one Brick, newest first; empty when the workspace has no such Brick. */
  brickVersionList(workspaceId: string, key: string): Promise<BrickVersionRecord[]>;
  /** The latest version of every Brick in the workspace, by key. */
  brickVersionListLatest(workspaceId: string): Promise<BrickVersionRecord[]>;
  /** Kits of the workspace, newest first. */
  kitList(workspaceId: string): Promise<KitRecord[]>;
  /**
   * A new Kit and its first version, in one transaction. Returns false (and writes nothing) when
   * the code is taken in its workspace.
   */
  kitInsertWithFirstVersion(kit: KitRecord, version: KitVersionRecord): Promise<boolean>;
  /** Inserts a Kit version unless the Kit already has this version number; false when it does. */
  kitVersionInsertIfNew(version: KitVersionRecord): Promise<boolean>;
  /** Every version of one Kit, newest first. */
  kitVersionList(kitId: string): Promise<KitVersionRecord[]>;
}
