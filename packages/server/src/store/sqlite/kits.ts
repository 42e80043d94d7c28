import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../../kits/records.ts';
import {
  brickVersionParams,
  FIND_BRICK_VERSION,
  FIND_KIT_BY_CODE,
  FIND_KIT_BY_NAME,
  FIND_KIT_VERSION,
  GET_KIT_VERSION,
  INSERT_BRICK_VERSION,
  INSERT_BRICK_VERSION_IF_NEW,
  INSERT_KIT,
  INSERT_KIT_IF_NEW,
  INSERT_KIT_VERSION,
  INSERT_KIT_VERSION_IF_NEW,
  KIT_CODE_EXISTS,
  kitParams,
  kitVersionParams,
  LATEST_BRICK_VERSION,
  LATEST_KIT_VERSION,
  LATEST_PUBLISHED_KIT_VERSION,
  LIST_BRICK_VERSIONS,
  LIST_KIT_VERSIONS,
  LIST_KITS,
  PUBLISH_KIT_VERSION,
  PUBLISHED_KIT_VERSION_ID,
} from '../kit-sql.ts';
import type { KitStore } from '../kit-store.ts';
import { toBrickVersion, toKit, toKitVersion } from '../row-mappers.ts';
import type { SqliteDatabase } from './database.ts';

export function insertBrickVersion(db: SqliteDatabase, b: BrickVersionRecord): void {
  db.run(INSERT_BRICK_VERSION, brickVersionParams(b));
}

export function insertBrickVersionIfNew(db: SqliteDatabase, b: BrickVersionRecord): boolean {
  return db.run(INSERT_BRICK_VERSION_IF_NEW, brickVersionParams(b)) > 0;
}

export function findBrickVersion(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
  version: number,
): BrickVersionRecord | null {
  const row = db.get(FIND_BRICK_VERSION, { workspaceId, key, version });
  return row ? toBrickVersion(row) : null;
}

export function listBrickVersions(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
): BrickVersionRecord[] {
  return db
    .all(LIST_BRICK_VERSIONS, {
      workspaceId,
      key,
    })
    .map(toBrickVersion);
}

export function listLatestBrickVersions(db: SqliteDatabase, workspaceId: string): BrickVersionRecord[] {
  return db
    .all(
      `SELECT b.* FROM brick_versions b
       WHERE b.workspace_id = $workspaceId
         AND b.version = (SELECT MAX(version) FROM brick_versions
                          WHERE workspace_id = b.workspace_id AND key = b.key)
       ORDER BY b.key`,
      { workspaceId },
    )
    .map(toBrickVersion);
}

export function latestBrickVersion(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
): BrickVersionRecord | null {
  const row = db.get(LATEST_BRICK_VERSION, { workspaceId, key });
  return row ? toBrickVersion(row) : null;
}

export function insertKit(db: SqliteDatabase, k: KitRecord): void {
  db.run(INSERT_KIT, kitParams(k));
}

export function findKitByCode(db: SqliteDatabase, workspaceId: string, code: string): KitRecord | null {
  const row = db.get(FIND_KIT_BY_CODE, {
    workspaceId,
    code,
  });
  return row ? toKit(row) : null;
}

export function findKitByName(db: SqliteDatabase, workspaceId: string, name: string): KitRecord | null {
  const row = db.get(FIND_KIT_BY_NAME, {
    workspaceId,
    name,
  });
  return row ? toKit(row) : null;
}

export function kitCodeExists(db: SqliteDatabase, workspaceId: string, code: string): boolean {
  return (
    db.get(KIT_CODE_EXISTS, {
      workspaceId,
      code,
    }) !== null
  );
}

export function insertKitVersion(db: SqliteDatabase, v: KitVersionRecord): void {
  db.run(INSERT_KIT_VERSION, kitVersionParams(v));
}

export function insertKitVersionIfNew(db: SqliteDatabase, v: KitVersionRecord): boolean {
  return db.run(INSERT_KIT_VERSION_IF_NEW, kitVersionParams(v)) > 0;
}

export function insertKitWithFirstVersion(db: SqliteDatabase, k: KitRecord, v: KitVersionRecord): boolean {
  return db.transaction(() => {
    const inserted = db.run(INSERT_KIT_IF_NEW, kitParams(k));
    if (inserted === 0) return false;
    db.run(INSERT_KIT_VERSION, kitVersionParams(v));
    return true;
  });
}

export function listKits(db: SqliteDatabase, workspaceId: string): KitRecord[] {
  return db
    .all(LIST_KITS, {
      workspaceId,
    })
    .map(toKit);
}

export function listKitVersions(db: SqliteDatabase, kitId: string): KitVersionRecord[] {
  return db.all(LIST_KIT_VERSIONS, { kitId }).map(toKitVersion);
}

export function publishKitVersion(db: SqliteDatabase, versionId: string, at: number): boolean {
  return (
    db.run(PUBLISH_KIT_VERSION, {
      versionId,
      at,
    }) > 0
  );
}

export function latestKitVersion(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(LATEST_KIT_VERSION, {
    kitId,
  });
  return row ? toKitVersion(row) : null;
}

export function latestPublishedKitVersion(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(LATEST_PUBLISHED_KIT_VERSION, { kitId });
  return row ? toKitVersion(row) : null;
}

export function publishedKitVersionId(
  db: SqliteDatabase,
  workspaceId: string,
  code: string,
): { versionId: string | null } | null {
  const row = db.get(PUBLISHED_KIT_VERSION_ID, { workspaceId, code });
  if (!row) return null;
  return { versionId: row['version_id'] == null ? null : String(row['version_id']) };
}

export function findKitVersion(
  db: SqliteDatabase,
  workspaceId: string,
  versionId: string,
): KitVersionRecord | null {
  const row = db.get(FIND_KIT_VERSION, {
    versionId,
    workspaceId,
  });
  return row ? toKitVersion(row) : null;
}

export function getKitVersion(db: SqliteDatabase, versionId: string): KitVersionRecord | null {
  const row = db.get(GET_KIT_VERSION, { versionId });
  return row ? toKitVersion(row) : null;
}

/** The SQLite KitStore, from the statements above. */
export function sqliteKitStore(db: SqliteDatabase): KitStore {
  return {
    insertBrickVersion: (b) => db.write(() => insertBrickVersion(db, b)),
    latestBrickVersion: async (w, k) => latestBrickVersion(db, w, k),
    insertKit: (k) => db.write(() => insertKit(db, k)),
    findKitByCode: async (w, c) => findKitByCode(db, w, c),
    findKitByName: async (w, n) => findKitByName(db, w, n),
    kitCodeExists: async (w, c) => kitCodeExists(db, w, c),
    insertKitVersion: (v) => db.write(() => insertKitVersion(db, v)),
    publishKitVersion: (id, at) => db.write(() => publishKitVersion(db, id, at)),
    latestKitVersion: async (id) => latestKitVersion(db, id),
    latestPublishedKitVersion: async (id) => latestPublishedKitVersion(db, id),
    publishedKitVersionId: async (w, c) => publishedKitVersionId(db, w, c),
    findKitVersion: async (w, id) => findKitVersion(db, w, id),
    getKitVersion: async (id) => getKitVersion(db, id),
    insertBrickVersionIfNew: (b) => db.write(() => insertBrickVersionIfNew(db, b)),
    findBrickVersion: async (w, k, v) => findBrickVersion(db, w, k, v),
    listBrickVersions: async (w, k) => listBrickVersions(db, w, k),
    listLatestBrickVersions: async (w) => listLatestBrickVersions(db, w),
    listKits: async (w) => listKits(db, w),
    insertKitWithFirstVersion: (k, v) => db.write(() => insertKitWithFirstVersion(db, k, v)),
    insertKitVersionIfNew: (v) => db.write(() => insertKitVersionIfNew(db, v)),
    listKitVersions: async (id) => listKitVersions(db, id),
  };
}
