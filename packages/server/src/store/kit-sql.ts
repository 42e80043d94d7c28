import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';

/**
 * The Brick and Kit statements both dialects run as they are, written once. What differs (the latest
 * version of every Brick: a correlated MAX on SQLite, DISTINCT ON on PostgreSQL) stays in the
 * dialect's kits.ts.
 */

export const INSERT_BRICK_VERSION = `INSERT INTO brick_versions (id, workspace_id, key, version, definition, created_at)
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
export const INSERT_BRICK_VERSION_IF_NEW = `${INSERT_BRICK_VERSION} ON CONFLICT (workspace_id, key, version) DO NOTHING`;

export const FIND_BRICK_VERSION =
  'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key AND version = $version';

export const LIST_BRICK_VERSIONS =
  'SELECT * FROM brick_versions WHERE workspace_id = $workspaceId AND key = $key ORDER BY version DESC';

export const LATEST_BRICK_VERSION = `${LIST_BRICK_VERSIONS} LIMIT 1`;

export const INSERT_KIT = `INSERT INTO kits (id, workspace_id, code, name, created_at)
  VALUES ($id, $workspaceId, $code, $name, $createdAt)`;

/** Nothing when the code is taken in its workspace. */
export const INSERT_KIT_IF_NEW = `${INSERT_KIT} ON CONFLICT (workspace_id, code) DO NOTHING`;

export const kitParams = (k: KitRecord) => ({
  id: k.id,
  workspaceId: k.workspaceId,
  code: k.code,
  name: k.name,
  createdAt: k.createdAt,
});

export const FIND_KIT_BY_CODE = 'SELECT * FROM kits WHERE workspace_id = $workspaceId AND code = $code';

/** The oldest Kit of that name. */
export const FIND_KIT_BY_NAME =
  'SELECT * FROM kits WHERE workspace_id = $workspaceId AND name = $name ORDER BY created_at, id LIMIT 1';

export const KIT_CODE_EXISTS =
  'SELECT 1 AS found FROM kits WHERE workspace_id = $workspaceId AND code = $code';

export const LIST_KITS =
  'SELECT * FROM kits WHERE workspace_id = $workspaceId ORDER BY created_at DESC, id DESC';

export const INSERT_KIT_VERSION = `INSERT INTO kit_versions
  (id, kit_id, version, status, name, description, model, bricks, created_at, published_at)
  VALUES ($id, $kitId, $version, $status, $name, $description, $model, $bricks, $createdAt, $publishedAt)`;

/** Nothing when the Kit already has this version number. */
export const INSERT_KIT_VERSION_IF_NEW = `${INSERT_KIT_VERSION} ON CONFLICT (kit_id, version) DO NOTHING`;

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

export const PUBLISH_KIT_VERSION =
  "UPDATE kit_versions SET status = 'published', published_at = $at WHERE id = $versionId AND status = 'draft'";

/** A Kit version with its Kit's code and workspace (toKitVersion reads them). */
const KIT_VERSION_SELECT = `SELECT v.*, k.code AS kit_code, k.workspace_id AS workspace_id
  FROM kit_versions v JOIN kits k ON k.id = v.kit_id`;

export const LIST_KIT_VERSIONS = `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId ORDER BY v.version DESC`;
export const LATEST_KIT_VERSION = `${LIST_KIT_VERSIONS} LIMIT 1`;
export const LATEST_PUBLISHED_KIT_VERSION = `${KIT_VERSION_SELECT} WHERE v.kit_id = $kitId AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`;
export const FIND_KIT_VERSION = `${KIT_VERSION_SELECT} WHERE v.id = $versionId AND k.workspace_id = $workspaceId`;
export const GET_KIT_VERSION = `${KIT_VERSION_SELECT} WHERE v.id = $versionId`;

/** null when the workspace has no such Kit; a null version_id when it has no published version. */
export const PUBLISHED_KIT_VERSION_ID = `SELECT v.id AS version_id FROM kits k
    LEFT JOIN kit_versions v ON v.kit_id = k.id AND v.status = 'published'
  WHERE k.workspace_id = $workspaceId AND k.code = $code
  ORDER BY v.version DESC LIMIT 1`;
