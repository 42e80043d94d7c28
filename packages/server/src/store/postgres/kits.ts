import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../../kits/records.ts';
import * as kitSql from '../kit-sql.ts';
import type { KitStore } from '../kit-store.ts';
import { toBrickVersion, toKit, toKitVersion } from '../row-mappers.ts';
import type { PostgresDatabase, Sql } from './database.ts';

export async function brickVersionInsert(db: Sql, b: BrickVersionRecord): Promise<void> {
  await db.run(kitSql.BRICK_VERSION_INSERT, kitSql.brickVersionParams(b));
}

export async function brickVersionInsertIfNew(db: Sql, b: BrickVersionRecord): Promise<boolean> {
  // A concurrent insert of the same version waits for the other transaction, then does nothing.
  return (await db.run(kitSql.BRICK_VERSION_INSERT_IF_NEW, kitSql.brickVersionParams(b))) > 0;
}

export async function brickVersionGet(
  db: Sql,
  workspaceId: string,
  key: string,
  version: number,
): Promise<BrickVersionRecord | null> {
  const row = await db.get(kitSql.BRICK_VERSION_GET, { workspaceId, key, version });
  return row ? toBrickVersion(row) : null;
}

export async function brickVersionList(
  db: Sql,
  workspaceId: string,
  key: string,
): Promise<BrickVersionRecord[]> {
  const rows = await db.all(kitSql.BRICK_VERSION_LIST, { workspaceId, key });
  return rows.map(toBrickVersion);
}

export async function brickVersionListLatest(db: Sql, workspaceId: string): Promise<BrickVersionRecord[]> {
  const rows = await db.all(
    `SELECT DISTINCT ON (key) * FROM brick_versions
     WHERE workspace_id = $workspaceId
     ORDER BY key, version DESC`,
    { workspaceId },
  );
  return rows.map(toBrickVersion);
}

export async function brickVersionGetLatest(
  db: Sql,
  workspaceId: string,
  key: string,
): Promise<BrickVersionRecord | null> {
  const row = await db.get(kitSql.BRICK_VERSION_GET_LATEST, { workspaceId, key });
  return row ? toBrickVersion(row) : null;
}

export async function kitInsert(db: Sql, k: KitRecord): Promise<void> {
  await db.run(kitSql.KIT_INSERT, kitSql.kitParams(k));
}

export async function kitGetByCode(db: Sql, workspaceId: string, code: string): Promise<KitRecord | null> {
  const row = await db.get(kitSql.KIT_GET_BY_CODE, {
    workspaceId,
    code,
  });
  return row ? toKit(row) : null;
}

export async function kitGetByName(db: Sql, workspaceId: string, name: string): Promise<KitRecord | null> {
  const row = await db.get(kitSql.KIT_GET_BY_NAME, { workspaceId, name });
  return row ? toKit(row) : null;
}

export async function kitExistsByCode(db: Sql, workspaceId: string, code: string): Promise<boolean> {
  return (
    (await db.get(kitSql.KIT_EXISTS_BY_CODE, {
      workspaceId,
      code,
    })) !== null
  );
}

export async function kitVersionInsert(db: Sql, v: KitVersionRecord): Promise<void> {
  await db.run(kitSql.KIT_VERSION_INSERT, kitSql.kitVersionParams(v));
}

export async function kitVersionInsertIfNew(db: Sql, v: KitVersionRecord): Promise<boolean> {
  return (await db.run(kitSql.KIT_VERSION_INSERT_IF_NEW, kitSql.kitVersionParams(v))) > 0;
}

export async function kitInsertWithFirstVersion(
  db: PostgresDatabase,
  k: KitRecord,
  v: KitVersionRecord,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx.run(kitSql.KIT_INSERT_IF_NEW, kitSql.kitParams(k));
    if (inserted === 0) return false;
    await tx.run(kitSql.KIT_VERSION_INSERT, kitSql.kitVersionParams(v));
    return true;
  });
}

export async function kitList(db: Sql, workspaceId: string): Promise<KitRecord[]> {
  const rows = await db.all(kitSql.KIT_LIST, { workspaceId });
  return rows.map(toKit);
}

export async function kitVersionList(db: Sql, kitId: string): Promise<KitVersionRecord[]> {
  const rows = await db.all(kitSql.KIT_VERSION_LIST, {
    kitId,
  });
  return rows.map(toKitVersion);
}

export async function kitVersionPublish(db: Sql, versionId: string, at: number): Promise<boolean> {
  return (await db.run(kitSql.KIT_VERSION_PUBLISH, { versionId, at })) > 0;
}

export async function kitVersionGetLatest(db: Sql, kitId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(kitSql.KIT_VERSION_GET_LATEST, {
    kitId,
  });
  return row ? toKitVersion(row) : null;
}

export async function kitVersionGetLatestPublished(db: Sql, kitId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(kitSql.KIT_VERSION_GET_LATEST_PUBLISHED, { kitId });
  return row ? toKitVersion(row) : null;
}

export async function kitGetPublishedVersionId(
  db: Sql,
  workspaceId: string,
  code: string,
): Promise<{ versionId: string | null } | null> {
  const row = await db.get(kitSql.KIT_GET_PUBLISHED_VERSION_ID, { workspaceId, code });
  if (!row) return null;
  return { versionId: row['version_id'] == null ? null : String(row['version_id']) };
}

export async function kitVersionGet(
  db: Sql,
  workspaceId: string,
  versionId: string,
): Promise<KitVersionRecord | null> {
  const row = await db.get(kitSql.KIT_VERSION_GET, {
    versionId,
    workspaceId,
  });
  return row ? toKitVersion(row) : null;
}

export async function kitVersionGetUnscoped(db: Sql, versionId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(kitSql.KIT_VERSION_GET_UNSCOPED, { versionId });
  return row ? toKitVersion(row) : null;
}

/** The PostgreSQL KitStore, from the statements above. */
export function postgresKitStore(db: PostgresDatabase): KitStore {
  return {
    brickVersionInsert: (b) => brickVersionInsert(db, b),
    brickVersionGetLatest: (w, k) => brickVersionGetLatest(db, w, k),
    kitInsert: (k) => kitInsert(db, k),
    kitGetByCode: (w, c) => kitGetByCode(db, w, c),
    kitGetByName: (w, n) => kitGetByName(db, w, n),
    kitExistsByCode: (w, c) => kitExistsByCode(db, w, c),
    kitVersionInsert: (v) => kitVersionInsert(db, v),
    kitVersionPublish: (id, at) => kitVersionPublish(db, id, at),
    kitVersionGetLatest: (id) => kitVersionGetLatest(db, id),
    kitVersionGetLatestPublished: (id) => kitVersionGetLatestPublished(db, id),
    kitGetPublishedVersionId: (w, c) => kitGetPublishedVersionId(db, w, c),
    kitVersionGet: (w, id) => kitVersionGet(db, w, id),
    kitVersionGetUnscoped: (id) => kitVersionGetUnscoped(db, id),
    brickVersionInsertIfNew: (b) => brickVersionInsertIfNew(db, b),
    brickVersionGet: (w, k, v) => brickVersionGet(db, w, k, v),
    brickVersionList: (w, k) => brickVersionList(db, w, k),
    brickVersionListLatest: (w) => brickVersionListLatest(db, w),
    kitList: (w) => kitList(db, w),
    kitInsertWithFirstVersion: (k, v) => kitInsertWithFirstVersion(db, k, v),
    kitVersionInsertIfNew: (v) => kitVersionInsertIfNew(db, v),
    kitVersionList: (id) => kitVersionList(db, id),
  };
}
