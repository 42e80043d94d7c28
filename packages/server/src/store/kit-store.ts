import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';

/** The catalogue part of the Store: Brick versions, Kits and Kit versions. */
export interface KitStore {
  // Bricks and Kits
  insertBrickVersion(brick: BrickVersionRecord): Promise<void>;
  latestBrickVersion(workspaceId: string, key: string): Promise<BrickVersionRecord | null>;
  insertKit(kit: KitRecord): Promise<void>;
  findKitByCode(workspaceId: string, code: string): Promise<KitRecord | null>;
  /** The oldest Kit with this name in the workspace (Kit files without a code are matched by name). */
  findKitByName(workspaceId: string, name: string): Promise<KitRecord | null>;
  /** Kit codes are unique per workspace (SPEC §9.2): another workspace's codes are never seen. */
  kitCodeExists(workspaceId: string, code: string): Promise<boolean>;
  insertKitVersion(version: KitVersionRecord): Promise<void>;
  publishKitVersion(versionId: string, at: number): Promise<boolean>;
  latestKitVersion(kitId: string): Promise<KitVersionRecord | null>;
  latestPublishedKitVersion(kitId: string): Promise<KitVersionRecord | null>;
  /**
   * What a run created by Kit code needs, in one lookup: null when the workspace has no Kit with
   * this code, `versionId: null` when it has no published version.
   */
  publishedKitVersionId(workspaceId: string, code: string): Promise<{ versionId: string | null } | null>;
  findKitVersion(workspaceId: string, versionId: string): Promise<KitVersionRecord | null>;
  /** For the executor: a run's Kit version, whatever its workspace. */
  getKitVersion(versionId: string): Promise<KitVersionRecord | null>;

  // Brick and Kit management (the /v1/bricks and /v1/kits endpoints)
  /**
   * Inserts a Brick version unless the workspace already has this key at this version; returns
   * false (and writes nothing) when it does, so concurrent writers can pick the next number.
   */
  insertBrickVersionIfNew(brick: BrickVersionRecord): Promise<boolean>;
  findBrickVersion(workspaceId: string, key: string, version: number): Promise<BrickVersionRecord | null>;
  /** Every version of one Brick, newest first; empty when the workspace has no such Brick. */
  listBrickVersions(workspaceId: string, key: string): Promise<BrickVersionRecord[]>;
  /** The latest version of every Brick in the workspace, by key. */
  listLatestBrickVersions(workspaceId: string): Promise<BrickVersionRecord[]>;
  /** Kits of the workspace, newest first. */
  listKits(workspaceId: string): Promise<KitRecord[]>;
  /**
   * A new Kit and its first version, in one transaction. Returns false (and writes nothing) when
   * the code is taken in its workspace.
   */
  insertKitWithFirstVersion(kit: KitRecord, version: KitVersionRecord): Promise<boolean>;
  /** Inserts a Kit version unless the Kit already has this version number; false when it does. */
  insertKitVersionIfNew(version: KitVersionRecord): Promise<boolean>;
  /** Every version of one Kit, newest first. */
  listKitVersions(kitId: string): Promise<KitVersionRecord[]>;
}
