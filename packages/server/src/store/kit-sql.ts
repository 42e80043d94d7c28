import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';

/**
 * The Brick and Kit statements both dialects run as they are, written once. What differs (the latest
 * version of every Brick: a correlated MAX on SQLite, DISTINCT ON on PostgreSQL) stays in the
 * dialect's kits.ts.
 */

export const BRICK_VERSION_INSERT = `INSERT INTO brick_versions (id, workspace_id, key, version, definition, created_at)
  VALUES ($id, $workspaceId, $key, $version, $definition, $createdAt)`;

export const brickVersionParams = (b: BrickVersionRecord) => ({
  id: b.id,
  workspaceId: b.workspaceId,
  key: b.key,
  version: b.version,
  definition: JSON.stringify(b.definition),
  createdAt: b.createdAt,
});

/** Nothing when the workspace already has this key at this version. */
export const BRICK_VERSION_INSERT_IF_NEW = `${BRICK_VERSION_INSERT} ON CONFLICT (workspace_id, key, version) DO NOTHING`;

export const BRICK_VERSION_GET =
  'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key AND version = $version';

export const BRICK_VERSION_LIST =
  'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC';

export const BRICK_VERSION_GET_LATEST = `${BRICK_VERSION_LIST} LIMIT 1`;

export const KIT_INSERT = `INSERT INTO kits (id, workspace_id, code, name, created_at)
  VALUES ($id, $workspaceId, $code, $name, $createdAt)`;

/** Nothing when the code is taken in its workspace. */
export const KIT_INSERT_IF_NEW = `${KIT_INSERT} ON CONFLICT (workspace_id, code) DO NOTHING`;

export const kitParams = (k: KitRecord) => ({
  id: k.id,
  workspaceId: k.workspaceId,
  code: k.code,
  name: k.name,
  createdAt: k.createdAt,
});

export const KIT_GET_BY_CODE = 'SELECT * FROM kits WHERE workspace_id = $workspaceId AND code = $code';

/** The oldest Kit of that name. */
export const KIT_GET_BY_NAME =
  'SELECT * FROM kits WHERE workspace_id = $workspaceId AND name = $name ORDER BY created_at, id LIMIT 1';

export const KIT_EXISTS_BY_CODE =
  'SELECT 1 AS found FROM kits WHERE workspace_id = $workspaceId AND code = $code';

export const KIT_LIST =
  'SELECT * FROM kits WHERE workspace_id = $workspaceId ORDER BY created_at DESC, id DESC';

export const KIT_VERSION_INSERT = `INSERT INTO kit_versions
  (id, kit_id, version, status, name, description, model, bricks, created_at, published_at)
  VALUES ($id, $kitId, $version, $status, $name, $description, $model, $bricks, $createdAt, $publishedAt)`;

/** Nothing when the Kit already has this version number. */
export const KIT_VERSION_INSERT_IF_NEW = `${KIT_VERSION_INSERT} ON CONFLICT (kit_id, version) DO NOTHING`;

export const kitVersionParams = (v: KitVersionRecord) => ({
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

export const KIT_VERSION_PUBLISH =
  "UPDATE kit_versions SET status = 'published', published_at = $at WHERE id = $versionId AND status = 'draft'";

/** A Kit version with its Kit's code and workspace (toKitVersion reads them). */
const KIT_VERSION_SELECT = `SELECT v.*, k.code AS kit_code, k.workspace_id AS workspace_id
  FROM kit_versions v JOIN kits k ON k.id = v.kit_id`;

export const KIT_VERSION_LIST = `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC`;
export const KIT_VERSION_GET_LATEST = `${KIT_VERSION_LIST} LIMIT 1`;
export const KIT_VERSION_GET_LATEST_PUBLISHED = `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`;
export const KIT_VERSION_GET = `${KIT_VERSION_SELECT} WHERE v.id = $versionId AND k.workspace_id = $workspaceId`;
export const KIT_VERSION_GET_UNSCOPED = `${KIT_VERSION_SELECT} WHERE v.id = $versionId`;

/** null when the workspace has no such Kit; a null version_id when it has no published version. */
export const KIT_GET_PUBLISHED_VERSION_ID = `SELECT v.id AS version_id FROM kits k
    LEFT JOIN kit_versions v ON v.kit_id = k.id AND v.status = 'published'
  WHERE k.workspace_id = $workspaceId AND k.code = $code
  ORDER BY v.version DESC LIMIT 1`;
