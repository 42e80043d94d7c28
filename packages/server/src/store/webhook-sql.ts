import type { WebhookEndpointRecord } from './webhook-records.ts';

/**
 * Webhook statements that read the same in both dialects, written once. `$workspaceId` and
 * `$mode` are a WebhookScope: a key only ever reaches its own mode's endpoints (SPEC §9.1).
 * `enabled` is an INTEGER in SQLite and a BOOLEAN in PostgreSQL: FALSE is both, and each adapter
 * binds `$enabled` in its own type.
 */

const IN_SCOPE = 'workspace_id = $workspaceId AND mode = $mode AND deleted_at IS NULL';

export const COUNT_ENDPOINTS = `SELECT count(*) AS n FROM webhook_endpoints WHERE ${IN_SCOPE}`;

export const INSERT_ENDPOINT = `INSERT INTO webhook_endpoints (id, workspace_id, mode, url, description, events, payload,
    enabled, disabled_reason, secret, previous_secret, previous_secret_expires_at, failing_since, created_at, updated_at)
  VALUES ($id, $workspaceId, $mode, $url, $description, $events, $payload, $enabled, NULL, $secret, NULL, NULL, NULL,
    $at, $at)`;

/** Parameters of INSERT_ENDPOINT but `$enabled`. */
export const endpointParams = (e: WebhookEndpointRecord) => ({
  id: e.id,
  workspaceId: e.workspaceId,
  mode: e.mode,
  url: e.url,
  description: e.description,
  events: JSON.stringify(e.events),
  payload: e.payload,
  secret: e.secret,
  at: e.createdAt,
});

export const LIST_ENDPOINTS = `SELECT * FROM webhook_endpoints WHERE ${IN_SCOPE} ORDER BY id`;

export const GET_ENDPOINT = `SELECT * FROM webhook_endpoints WHERE id = $id AND ${IN_SCOPE}`;

export const ROTATE_SECRET = `UPDATE webhook_endpoints SET previous_secret = secret,
    previous_secret_expires_at = $previousExpiresAt, secret = $secret, updated_at = $now
  WHERE id = $id AND ${IN_SCOPE}
  RETURNING *`;

export const DELETE_ENDPOINT = `UPDATE webhook_endpoints SET deleted_at = $now, enabled = FALSE
  WHERE id = $id AND ${IN_SCOPE}`;

export const FAIL_DELIVERIES_OF_DELETED_ENDPOINT = `UPDATE webhook_deliveries SET status = 'failed',
    next_attempt_at = NULL, completed_at = $now, last_error = 'endpoint deleted'
  WHERE endpoint_id = $id AND status IN ('pending', 'delivering')`;

/** A delivery is in scope when its endpoint is (deleted endpoints' deliveries stay readable). */
const DELIVERY_IN_SCOPE = `d.id = $id AND d.workspace_id = $workspaceId AND EXISTS (
    SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.mode = $mode)`;

export const GET_DELIVERY = `SELECT d.* FROM webhook_deliveries d WHERE ${DELIVERY_IN_SCOPE}`;

export const REDELIVER = `UPDATE webhook_deliveries AS d SET status = 'pending', next_attempt_at = $now,
    completed_at = NULL
  WHERE ${DELIVERY_IN_SCOPE} AND d.status <> 'delivering'`;

/**
 * The endpoint mode a run's events go to: live endpoints receive events of api runs, test
 * endpoints those of sandbox runs (SPEC §9.1). `runId` is the SQL naming the run.
 */
export const RUN_MODE = (runId: string) =>
  `(SELECT CASE r.run_type WHEN 'api' THEN 'live' ELSE 'test' END FROM runs r WHERE r.id = ${runId})`;
