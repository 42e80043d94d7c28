import type { ConsoleSessionRecord } from '../console/records.ts';
import type { ApiKeyRecord } from '../keys/records.ts';
import type { BrickVersionRecord, KitRecord, KitVersionRecord } from '../kits/records.ts';
import type { RunRecord } from '../runs/records.ts';
import type { WorkspaceRecord } from '../workspaces/records.ts';
import type { ClaimedRun, IdempotencyRecord, RunEventRecord } from './records.ts';

/** Maps database rows (snake_case, same columns in both dialects) to records. */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** PostgreSQL returns jsonb already parsed; SQLite returns text. */
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const jsonText = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

export const toWorkspace = (r: Row): WorkspaceRecord => ({
  id: String(r['id']),
  name: String(r['name']),
  createdAt: num(r['created_at']),
});

export const toApiKey = (r: Row): ApiKeyRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  keyHash: String(r['key_hash']),
  hint: String(r['hint']),
  mode: r['mode'] as ApiKeyRecord['mode'],
  role: r['role'] as ApiKeyRecord['role'],
  name: strOrNull(r['name']),
  createdAt: num(r['created_at']),
  expiresAt: numOrNull(r['expires_at']),
  revokedAt: numOrNull(r['revoked_at']),
  lastUsedAt: numOrNull(r['last_used_at']),
});

export const toBrickVersion = (r: Row): BrickVersionRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  key: String(r['key']),
  version: num(r['version']),
  definition: json(r['definition']),
  createdAt: num(r['created_at']),
});

export const toKit = (r: Row): KitRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  code: String(r['code']),
  name: String(r['name']),
  createdAt: num(r['created_at']),
});

/** Expects kit_versions columns joined with kits.code AS kit_code and kits.workspace_id. */
export const toKitVersion = (r: Row): KitVersionRecord => ({
  id: String(r['id']),
  kitId: String(r['kit_id']),
  kitCode: String(r['kit_code']),
  workspaceId: String(r['workspace_id']),
  version: num(r['version']),
  status: r['status'] as KitVersionRecord['status'],
  name: String(r['name']),
  description: String(r['description']),
  model: json(r['model']),
  bricks: json(r['bricks']),
  createdAt: num(r['created_at']),
  publishedAt: numOrNull(r['published_at']),
});

export const toRun = (r: Row): RunRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  status: r['status'] as RunRecord['status'],
  runType: r['run_type'] as RunRecord['runType'],
  mode: r['mode'] as RunRecord['mode'],
  kitCode: String(r['kit_code']),
  kitVersionId: String(r['kit_version_id']),
  createdAt: num(r['created_at']),
  startedAt: numOrNull(r['started_at']),
  completedAt: numOrNull(r['completed_at']),
  deadlineAt: numOrNull(r['deadline_at']),
  attempt: num(r['attempt']),
  workerId: strOrNull(r['worker_id']),
  leaseExpiresAt: numOrNull(r['lease_expires_at']),
  metadataJson: jsonText(r['metadata']),
  outputJson: jsonText(r['output']),
  errorCode: strOrNull(r['error_code']),
  errorMessage: strOrNull(r['error_message']),
  errorUserMessage: strOrNull(r['error_user_message']),
  usageJson: jsonText(r['usage']),
  requestId: strOrNull(r['request_id']),
});

export const toClaimedRun = (r: Row): ClaimedRun => ({
  ...toRun(r),
  inputJson: jsonText(r['input']),
  preparedJson: strOrNull(r['prepared']),
});

export const toIdempotency = (r: Row): IdempotencyRecord => ({
  workspaceId: String(r['workspace_id']),
  mode: String(r['mode']) as IdempotencyRecord['mode'],
  key: String(r['key']),
  fingerprint: String(r['fingerprint']),
  fieldHashes: json(r['field_hashes']),
  runId: String(r['run_id']),
  expiresAt: num(r['expires_at']),
});

export const toRunEvent = (r: Row): RunEventRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  runId: String(r['run_id']),
  type: r['type'] as RunEventRecord['type'],
  createdAt: num(r['created_at']),
});

/** What a claim returns beyond RUN_COLUMNS: the prepared input, else the input to prepare. */
export const CLAIMED_INPUT_COLUMNS = 'prepared, CASE WHEN prepared IS NULL THEN input END AS input';

/** Columns of a run without its input (the input is only read by the executor). */
export const RUN_COLUMNS = `id, workspace_id, status, run_type, mode, kit_code, kit_version_id, metadata, created_at,
  started_at, completed_at, deadline_at, attempt, worker_id, lease_expires_at, output, error_code, error_message,
  error_user_message, usage, request_id`;

export const toConsoleSession = (r: Row): ConsoleSessionRecord => ({
  tokenHash: String(r['token_hash']),
  keyId: String(r['key_id']),
  csrfToken: String(r['csrf_token']),
  createdAt: num(r['created_at']),
  expiresAt: num(r['expires_at']),
});
