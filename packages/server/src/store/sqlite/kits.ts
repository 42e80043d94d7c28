import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../../kits/records.ts';
import * as kitSql from '../kit-sql.ts';
import type { KitStore } from '../kit-store.ts';
import { toBrickVersion, toKit, toKitVersion } from '../row-mappers.ts';
import type { SqliteDatabase } from './database.ts';

export function brickVersionInsert(db: SqliteDatabase, b: BrickVersionRecord): void {
  db.run(kitSql.BRICK_VERSION_INSERT, kitSql.brickVersionParams(b));
}

export function brickVersionInsertIfNew(db: SqliteDatabase, b: BrickVersionRecord): boolean {
  return db.run(kitSql.BRICK_VERSION_INSERT_IF_NEW, kitSql.brickVersionParams(b)) > 0;
}

export function brickVersionGet(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
  version: number,
): BrickVersionRecord | null {
  const row = db.get(kitSql.BRICK_VERSION_GET, { workspaceId, key, version });
  return row ? toBrickVersion(row) : null;
}

export function brickVersionList(db: SqliteDatabase, workspaceId: string, key: string): BrickVersionRecord[] {
  return db
    .all(kitSql.BRICK_VERSION_LIST, {
      workspaceId,
      key,
    })
    .map(toBrickVersion);
}

export function brickVersionListLatest(db: SqliteDatabase, workspaceId: string): BrickVersionRecord[] {
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

export function brickVersionGetLatest(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
): BrickVersionRecord | null {
  const row = db.get(kitSql.BRICK_VERSION_GET_LATEST, { workspaceId, key });
  return row ? toBrickVersion(row) : null;
}

export function kitInsert(db: SqliteDatabase, k: KitRecord): void {
  db.run(kitSql.KIT_INSERT, kitSql.kitParams(k));
}

export function kitGetByCode(db: SqliteDatabase, workspaceId: string, code: string): KitRecord | null {
  const row = db.get(kitSql.KIT_GET_BY_CODE, {
    workspaceId,
    code,
  });
  return row ? toKit(row) : null;
}

export function kitGetByName(db: SqliteDatabase, workspaceId: string, name: string): KitRecord | null {
  const row = db.get(kitSql.KIT_GET_BY_NAME, {
    workspaceId,
    name,
  });
  return row ? toKit(row) : null;
}

export function kitExistsByCode(db: SqliteDatabase, workspaceId: string, code: string): boolean {
  return (
    db.get(kitSql.KIT_EXISTS_BY_CODE, {
      workspaceId,
      code,
    }) !== null
  );
}

export function kitVersionInsert(db: SqliteDatabase, v: KitVersionRecord): void {
  db.run(kitSql.KIT_VERSION_INSERT, kitSql.kitVersionParams(v));
}

export function kitVersionInsertIfNew(db: SqliteDatabase, v: KitVersionRecord): boolean {
  return db.run(kitSql.KIT_VERSION_INSERT_IF_NEW, kitSql.kitVersionParams(v)) > 0;
}

export function kitInsertWithFirstVersion(db: SqliteDatabase, k: KitRecord, v: KitVersionRecord): boolean {
  return db.transaction(() => {
    const inserted = db.run(kitSql.KIT_INSERT_IF_NEW, kitSql.kitParams(k));
    if (inserted === 0) return false;
    db.run(kitSql.KIT_VERSION_INSERT, kitSql.kitVersionParams(v));
    return true;
  });
}

export function kitList(db: SqliteDatabase, workspaceId: string): KitRecord[] {
  return db
    .all(kitSql.KIT_LIST, {
      workspaceId,
    })
    .map(toKit);
}

export function kitVersionList(db: SqliteDatabase, kitId: string): KitVersionRecord[] {
  return db.all(kitSql.KIT_VERSION_LIST, { kitId }).map(toKitVersion);
}

export function kitVersionPublish(db: SqliteDatabase, versionId: string, at: number): boolean {
  return (
    db.run(kitSql.KIT_VERSION_PUBLISH, {
      versionId,
      at,
    }) > 0
  );
}

export function kitVersionGetLatest(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(kitSql.KIT_VERSION_GET_LATEST, {
    kitId,
  });
  return row ? toKitVersion(row) : null;
}

export function kitVersionGetLatestPublished(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(kitSql.KIT_VERSION_GET_LATEST_PUBLISHED, { kitId });
  return row ? toKitVersion(row) : null;
}

export function kitGetPublishedVersionId(
  db: SqliteDatabase,
  workspaceId: string,
  code: string,
): { versionId: string | null } | null {
  const row = db.get(kitSql.KIT_GET_PUBLISHED_VERSION_ID, { workspaceId, code });
  if (!row) return null;
  return { versionId: row['version_id'] == null ? null : String(row['version_id']) };
}

export function kitVersionGet(
  db: SqliteDatabase,
  workspaceId: string,
  versionId: string,
): KitVersionRecord | null {
  const row = db.get(kitSql.KIT_VERSION_GET, {
    versionId,
    workspaceId,
  });
  return row ? toKitVersion(row) : null;
}

export function kitVersionGetUnscoped(db: SqliteDatabase, versionId: string): KitVersionRecord | null {
  const row = db.get(kitSql.KIT_VERSION_GET_UNSCOPED, { versionId });
  return row ? toKitVersion(row) : null;
}

/** The SQLite KitStore, from the statements above. */
export function sqliteKitStore(db: SqliteDatabase): KitStore {
  return {
    brickVersionInsert: (b) => db.write(() => brickVersionInsert(db, b)),
    brickVersionGetLatest: async (w, k) => brickVersionGetLatest(db, w, k),
    kitInsert: (k) => db.write(() => kitInsert(db, k)),
    kitGetByCode: async (w, c) => kitGetByCode(db, w, c),
    kitGetByName: async (w, n) => kitGetByName(db, w, n),
    kitExistsByCode: async (w, c) => kitExistsByCode(db, w, c),
    kitVersionInsert: (v) => db.write(() => kitVersionInsert(db, v)),
    kitVersionPublish: (id, at) => db.write(() => kitVersionPublish(db, id, at)),
    kitVersionGetLatest: async (id) => kitVersionGetLatest(db, id),
    kitVersionGetLatestPublished: async (id) => kitVersionGetLatestPublished(db, id),
    kitGetPublishedVersionId: async (w, c) => kitGetPublishedVersionId(db, w, c),
    kitVersionGet: async (w, id) => kitVersionGet(db, w, id),
    kitVersionGetUnscoped: async (id) => kitVersionGetUnscoped(db, id),
    brickVersionInsertIfNew: (b) => db.write(() => brickVersionInsertIfNew(db, b)),
    brickVersionGet: async (w, k, v) => brickVersionGet(db, w, k, v),
    brickVersionList: async (w, k) => brickVersionList(db, w, k),
    brickVersionListLatest: async (w) => brickVersionListLatest(db, w),
    kitList: async (w) => kitList(db, w),
    kitInsertWithFirstVersion: (k, v) => db.write(() => kitInsertWithFirstVersion(db, k, v)),
    kitVersionInsertIfNew: (v) => db.write(() => kitVersionInsertIfNew(db, v)),
    kitVersionList: async (id) => kitVersionList(db, id),
  };
}
