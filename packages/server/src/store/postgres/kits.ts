import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../../kits/records.ts';
import type { KitStore } from '../kit-store.ts';
import { toBrickVersion, toKit, toKitVersion } from '../row-mappers.ts';
import type { PostgresDatabase, Sql } from './database.ts';

const KIT_VERSION_SELECT = `SELECT v.*, k.code AS kit_code, k.workspace_id AS workspace_id
  FROM kit_versions v JOIN kits k ON k.id = v.kit_id`;

const INSERT_BRICK_VERSION = `INSERT INTO brick_versions (id, workspace_id, key, version, definition, created_at)
  VALUES ($id, $workspaceId, $key, $version, $definition, $createdAt)`;

const brickVersionParams = (b: BrickVersionRecord) => ({
  id: b.id,
  workspaceId: b.workspaceId,
  key: b.key,
  version: b.version,
  definition: JSON.stringify(b.definition),
  createdAt: b.createdAt,
});

export async function insertBrickVersion(db: Sql, b: BrickVersionRecord): Promise<void> {
  await db.run(INSERT_BRICK_VERSION, brickVersionParams(b));
}

export async function insertBrickVersionIfNew(db: Sql, b: BrickVersionRecord): Promise<boolean> {
  // A concurrent insert of the same version waits for the other transaction, then does nothing.
  return (
    (await db.run(
      `${INSERT_BRICK_VERSION} ON CONFLICT (workspace_id, key, version) DO NOTHING`,
      brickVersionParams(b),
    )) > 0
  );
}

export async function findBrickVersion(
  db: Sql,
  workspaceId: string,
  key: string,
  version: number,
): Promise<BrickVersionRecord | null> {
  const row = await db.get(
    'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key AND version = $version',
    { workspaceId, key, version },
  );
  return row ? toBrickVersion(row) : null;
}

export async function listBrickVersions(
  db: Sql,
  workspaceId: string,
  key: string,
): Promise<BrickVersionRecord[]> {
  const rows = await db.all(
    'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC',
    { workspaceId, key },
  );
  return rows.map(toBrickVersion);
}

export async function listLatestBrickVersions(db: Sql, workspaceId: string): Promise<BrickVersionRecord[]> {
  const rows = await db.all(
    `SELECT DISTINCT ON (key) * FROM brick_versions
     WHERE workspace_id = $workspaceId
     ORDER BY key, version DESC`,
    { workspaceId },
  );
  return rows.map(toBrickVersion);
}

export async function latestBrickVersion(
  db: Sql,
  workspaceId: string,
  key: string,
): Promise<BrickVersionRecord | null> {
  const row = await db.get(
    'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC LIMIT 1',
    { workspaceId, key },
  );
  return row ? toBrickVersion(row) : null;
}

const INSERT_KIT = `INSERT INTO kits (id, workspace_id, code, name, created_at)
  VALUES ($id, $workspaceId, $code, $name, $createdAt)`;

const kitParams = (k: KitRecord) => ({
  id: k.id,
  workspaceId: k.workspaceId,
  code: k.code,
  name: k.name,
  createdAt: k.createdAt,
});

export async function insertKit(db: Sql, k: KitRecord): Promise<void> {
  await db.run(INSERT_KIT, kitParams(k));
}

export async function findKitByCode(db: Sql, workspaceId: string, code: string): Promise<KitRecord | null> {
  const row = await db.get('SELECT * FROM kits WHERE workspace_id = $workspaceId AND code = $code', {
    workspaceId,
    code,
  });
  return row ? toKit(row) : null;
}

export async function findKitByName(db: Sql, workspaceId: string, name: string): Promise<KitRecord | null> {
  const row = await db.get(
    'SELECT * FROM kits WHERE workspace_id = $workspaceId AND name = $name ORDER BY created_at, id LIMIT 1',
    { workspaceId, name },
  );
  return row ? toKit(row) : null;
}

export async function kitCodeExists(db: Sql, workspaceId: string, code: string): Promise<boolean> {
  return (
    (await db.get('SELECT 1 AS found FROM kits WHERE workspace_id = $workspaceId AND code = $code', {
      workspaceId,
      code,
    })) !== null
  );
}

const INSERT_KIT_VERSION = `INSERT INTO kit_versions
  (id, kit_id, version, status, name, description, model, bricks, created_at, published_at)
  VALUES ($id, $kitId, $version, $status, $name, $description, $model, $bricks, $createdAt, $publishedAt)`;

const kitVersionParams = (v: KitVersionRecord) => ({
  id: v.id,
  kitId: v.kitId,
  version: v.version,
  status: v.status,
  name: v.name,
  description: v.description,
  model: JSON.stringify(v.model),
  bricks: JSON.stringify(v.bricks),
  createdAt: v.createdAt,
  publishedAt: v.publishedAt,
});

export async function insertKitVersion(db: Sql, v: KitVersionRecord): Promise<void> {
  await db.run(INSERT_KIT_VERSION, kitVersionParams(v));
}

export async function insertKitVersionIfNew(db: Sql, v: KitVersionRecord): Promise<boolean> {
  return (
    (await db.run(`${INSERT_KIT_VERSION} ON CONFLICT (kit_id, version) DO NOTHING`, kitVersionParams(v))) > 0
  );
}

export async function insertKitWithFirstVersion(
  db: PostgresDatabase,
  k: KitRecord,
  v: KitVersionRecord,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx.run(`${INSERT_KIT} ON CONFLICT (workspace_id, code) DO NOTHING`, kitParams(k));
    if (inserted === 0) return false;
    await tx.run(INSERT_KIT_VERSION, kitVersionParams(v));
    return true;
  });
}

export async function listKits(db: Sql, workspaceId: string): Promise<KitRecord[]> {
  const rows = await db.all(
    'SELECT * FROM kits WHERE workspace_id = $workspaceId ORDER BY created_at DESC, id DESC',
    { workspaceId },
  );
  return rows.map(toKit);
}

export async function listKitVersions(db: Sql, kitId: string): Promise<KitVersionRecord[]> {
  const rows = await db.all(`${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC`, {
    kitId,
  });
  return rows.map(toKitVersion);
}

export async function publishKitVersion(db: Sql, versionId: string, at: number): Promise<boolean> {
  return (
    (await db.run(
      "UPDATE kit_versions SET status = 'published', published_at = $at WHERE id = $versionId AND status = 'draft'",
      { versionId, at },
    )) > 0
  );
}

export async function latestKitVersion(db: Sql, kitId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(`${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC LIMIT 1`, {
    kitId,
  });
  return row ? toKitVersion(row) : null;
}

export async function latestPublishedKitVersion(db: Sql, kitId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(
    `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    { kitId },
  );
  return row ? toKitVersion(row) : null;
}

export async function publishedKitVersionId(
  db: Sql,
  workspaceId: string,
  code: string,
): Promise<{ versionId: string | null } | null> {
  const row = await db.get(
    `SELECT v.id AS version_id FROM kits k
       LEFT JOIN kit_versions v ON v.kit_id = k.id AND v.status = 'published'
     WHERE k.workspace_id = $workspaceId AND k.code = $code
     ORDER BY v.version DESC LIMIT 1`,
    { workspaceId, code },
  );
  if (!row) return null;
  return { versionId: row['version_id'] == null ? null : String(row['version_id']) };
}

export async function findKitVersion(
  db: Sql,
  workspaceId: string,
  versionId: string,
): Promise<KitVersionRecord | null> {
  const row = await db.get(
    `${KIT_VERSION_SELECT} WHERE v.id = $versionId AND k.workspace_id = $workspaceId`,
    {
      versionId,
      workspaceId,
    },
  );
  return row ? toKitVersion(row) : null;
}

export async function getKitVersion(db: Sql, versionId: string): Promise<KitVersionRecord | null> {
  const row = await db.get(`${KIT_VERSION_SELECT} WHERE v.id = $versionId`, { versionId });
  return row ? toKitVersion(row) : null;
}

/** The PostgreSQL KitStore, from the statements above. */
export function postgresKitStore(db: PostgresDatabase): KitStore {
  return {
    insertBrickVersion: (b) => insertBrickVersion(db, b),
    latestBrickVersion: (w, k) => latestBrickVersion(db, w, k),
    insertKit: (k) => insertKit(db, k),
    findKitByCode: (w, c) => findKitByCode(db, w, c),
    findKitByName: (w, n) => findKitByName(db, w, n),
    kitCodeExists: (w, c) => kitCodeExists(db, w, c),
    insertKitVersion: (v) => insertKitVersion(db, v),
    publishKitVersion: (id, at) => publishKitVersion(db, id, at),
    latestKitVersion: (id) => latestKitVersion(db, id),
    latestPublishedKitVersion: (id) => latestPublishedKitVersion(db, id),
    publishedKitVersionId: (w, c) => publishedKitVersionId(db, w, c),
    findKitVersion: (w, id) => findKitVersion(db, w, id),
    getKitVersion: (id) => getKitVersion(db, id),
    insertBrickVersionIfNew: (b) => insertBrickVersionIfNew(db, b),
    findBrickVersion: (w, k, v) => findBrickVersion(db, w, k, v),
    listBrickVersions: (w, k) => listBrickVersions(db, w, k),
    listLatestBrickVersions: (w) => listLatestBrickVersions(db, w),
    listKits: (w) => listKits(db, w),
    insertKitWithFirstVersion: (k, v) => insertKitWithFirstVersion(db, k, v),
    insertKitVersionIfNew: (v) => insertKitVersionIfNew(db, v),
    listKitVersions: (id) => listKitVersions(db, id),
  };
}
