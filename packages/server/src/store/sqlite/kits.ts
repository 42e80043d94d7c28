import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../../kits/records.ts';
import type { KitStore } from '../kit-store.ts';
import { toBrickVersion, toKit, toKitVersion } from '../row-mappers.ts';
import type { SqliteDatabase } from './database.ts';

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

export function insertBrickVersion(db: SqliteDatabase, b: BrickVersionRecord): void {
  db.run(INSERT_BRICK_VERSION, brickVersionParams(b));
}

export function insertBrickVersionIfNew(db: SqliteDatabase, b: BrickVersionRecord): boolean {
  return (
    db.run(
      `${INSERT_BRICK_VERSION} ON CONFLICT (workspace_id, key, version) DO NOTHING`,
      brickVersionParams(b),
    ) > 0
  );
}

export function findBrickVersion(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
  version: number,
): BrickVersionRecord | null {
  const row = db.get(
    'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key AND version = $version',
    { workspaceId, key, version },
  );
  return row ? toBrickVersion(row) : null;
}

export function listBrickVersions(
  db: SqliteDatabase,
  workspaceId: string,
  key: string,
): BrickVersionRecord[] {
  return db
    .all(
      'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC',
      {
        workspaceId,
        key,
      },
    )
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
  const row = db.get(
    'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC LIMIT 1',
    { workspaceId, key },
  );
  return row ? toBrickVersion(row) : null;
}

export function insertKit(db: SqliteDatabase, k: KitRecord): void {
  db.run(
    'INSERT INTO kits (id, workspace_id, code, name, created_at) VALUES ($id, $workspaceId, $code, $name, $createdAt)',
    { id: k.id, workspaceId: k.workspaceId, code: k.code, name: k.name, createdAt: k.createdAt },
  );
}

export function findKitByCode(db: SqliteDatabase, workspaceId: string, code: string): KitRecord | null {
  const row = db.get('SELECT * FROM kits WHERE workspace_id = $workspaceId AND code = $code', {
    workspaceId,
    code,
  });
  return row ? toKit(row) : null;
}

export function findKitByName(db: SqliteDatabase, workspaceId: string, name: string): KitRecord | null {
  const row = db.get(
    'SELECT * FROM kits WHERE workspace_id = $workspaceId AND name = $name ORDER BY created_at, id LIMIT 1',
    {
      workspaceId,
      name,
    },
  );
  return row ? toKit(row) : null;
}

export function kitCodeExists(db: SqliteDatabase, workspaceId: string, code: string): boolean {
  return (
    db.get('SELECT 1 AS found FROM kits WHERE workspace_id = $workspaceId AND code = $code', {
      workspaceId,
      code,
    }) !== null
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

export function insertKitVersion(db: SqliteDatabase, v: KitVersionRecord): void {
  db.run(INSERT_KIT_VERSION, kitVersionParams(v));
}

export function insertKitVersionIfNew(db: SqliteDatabase, v: KitVersionRecord): boolean {
  return db.run(`${INSERT_KIT_VERSION} ON CONFLICT (kit_id, version) DO NOTHING`, kitVersionParams(v)) > 0;
}

export function insertKitWithFirstVersion(db: SqliteDatabase, k: KitRecord, v: KitVersionRecord): boolean {
  return db.transaction(() => {
    const inserted = db.run(
      `INSERT INTO kits (id, workspace_id, code, name, created_at)
       VALUES ($id, $workspaceId, $code, $name, $createdAt) ON CONFLICT (workspace_id, code) DO NOTHING`,
      { id: k.id, workspaceId: k.workspaceId, code: k.code, name: k.name, createdAt: k.createdAt },
    );
    if (inserted === 0) return false;
    db.run(INSERT_KIT_VERSION, kitVersionParams(v));
    return true;
  });
}

export function listKits(db: SqliteDatabase, workspaceId: string): KitRecord[] {
  return db
    .all('SELECT * FROM kits WHERE workspace_id = $workspaceId ORDER BY created_at DESC, id DESC', {
      workspaceId,
    })
    .map(toKit);
}

export function listKitVersions(db: SqliteDatabase, kitId: string): KitVersionRecord[] {
  return db
    .all(`${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC`, { kitId })
    .map(toKitVersion);
}

export function publishKitVersion(db: SqliteDatabase, versionId: string, at: number): boolean {
  return (
    db.run(
      "UPDATE kit_versions SET status = 'published', published_at = $at WHERE id = $versionId AND status = 'draft'",
      {
        versionId,
        at,
      },
    ) > 0
  );
}

export function latestKitVersion(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(`${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC LIMIT 1`, {
    kitId,
  });
  return row ? toKitVersion(row) : null;
}

export function latestPublishedKitVersion(db: SqliteDatabase, kitId: string): KitVersionRecord | null {
  const row = db.get(
    `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    { kitId },
  );
  return row ? toKitVersion(row) : null;
}

export function publishedKitVersionId(
  db: SqliteDatabase,
  workspaceId: string,
  code: string,
): { versionId: string | null } | null {
  const row = db.get(
    `SELECT v.id AS version_id FROM kits k
       LEFT JOIN kit_versions v ON v.kit_id = k.id AND v.status = 'published'
     WHERE k.workspace_id = $workspaceId AND k.code = $code
     ORDER BY v.version DESC LIMIT 1`,
    { workspaceId, code },
  );
  if (!row) return null;
  return { versionId: row['version_id'] == null ? null : String(row['version_id']) };
}

export function findKitVersion(
  db: SqliteDatabase,
  workspaceId: string,
  versionId: string,
): KitVersionRecord | null {
  const row = db.get(`${KIT_VERSION_SELECT} WHERE v.id = $versionId AND k.workspace_id = $workspaceId`, {
    versionId,
    workspaceId,
  });
  return row ? toKitVersion(row) : null;
}

export function getKitVersion(db: SqliteDatabase, versionId: string): KitVersionRecord | null {
  const row = db.get(`${KIT_VERSION_SELECT} WHERE v.id = $versionId`, { versionId });
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
