import type { WebhookEndpointRecord } from '../webhooks/records.ts';

/**
 * Webhook statements that read the same in both dialects, written once. `$workspaceId` and
 * `$mode` are a WebhookScope: a key only ever reaches its own mode's endpoints (SPEC §9.1).
 * `enabled` is an INTEGER in SQLite and a BOOLEAN in PostgreSQL: FALSE is both, and each adapter
 * binds `$enabled` in its own type.
 */

const IN_SCOPE = 'workspace_id = $workspaceId AND mode = $mode AND deleted_at IS NULL';

export const WEBHOOK_ENDPOINT_COUNT = `SELECT count(*) AS n FROM webhook_endpoints WHERE ${IN_SCOPE}`;

export const WEBHOOK_ENDPOINT_INSERT = `INSERT INTO webhook_endpoints (id, workspace_id, mode, url, description, events, payload,
    enabled, disabled_reason, secret, previous_secret, previous_secret_expires_at, failing_since, created_at, updated_at)
  VALUES ($id, $workspaceId, $mode, $url, $description, $events, $payload, $enabled, NULL, $secret, NULL, NULL, NULL,
    $at, $at)`;

/** Parameters of WEBHOOK_ENDPOINT_INSERT but `$enabled`. */
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

export const WEBHOOK_ENDPOINT_LIST = `SELECT * FROM webhook_endpoints WHERE ${IN_SCOPE} ORDER BY id`;

export const WEBHOOK_ENDPOINT_GET = `SELECT * FROM webhook_endpoints WHERE id = $id AND ${IN_SCOPE}`;

export const WEBHOOK_ENDPOINT_ROTATE_SECRET = `UPDATE webhook_endpoints SET previous_secret = secret,
    previous_secret_expires_at = $previousExpiresAt, secret = $secret, updated_at = $now
  WHERE id = $id AND ${IN_SCOPE}
  RETURNING *`;

export const WEBHOOK_ENDPOINT_DELETE = `UPDATE webhook_endpoints SET deleted_at = $now, enabled = FALSE
  WHERE id = $id AND ${IN_SCOPE}`;

export const DELIVERY_FAIL_OF_DELETED_ENDPOINT = `UPDATE webhook_deliveries SET status = 'failed',
    next_attempt_at = NULL, completed_at = $now, last_error = 'endpoint deleted'
  WHERE endpoint_id = $id AND status IN ('pending', 'delivering')`;

/** A delivery is in scope when its endpoint is (deleted endpoints' deliveries stay readable). */
const DELIVERY_IN_SCOPE = `d.id = $id AND d.workspace_id = $workspaceId AND EXISTS (
    SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.mode = $mode)`;

export const DELIVERY_GET = `SELECT d.* FROM webhook_deliveries d WHERE ${DELIVERY_IN_SCOPE}`;

export const DELIVERY_REDELIVER = `UPDATE webhook_deliveries AS d SET status = 'pending', next_attempt_at = $now,
    completed_at = NULL
  WHERE ${DELIVERY_IN_SCOPE} AND d.status <> 'delivering'`;

/**
 * The endpoint mode a run's events go to: live endpoints receive events of api runs, test
 * endpoints those of sandbox runs (SPEC §9.1). `runId` is the SQL naming the run.
 */
export const RUN_MODE = (runId: string) =>
  `(SELECT CASE r.run_type WHEN 'api' THEN 'live' ELSE 'test' END FROM runs r WHERE r.id = ${runId})`;

/**
 * The due deliveries a dispatcher claims next, fairly (SPEC §9.4), as `id, endpoint_id` rows:
 * - at most `$perEndpoint` in flight per endpoint, counted over every dispatcher's live leases;
 * - a workspace holds at most `$perWorkspace` of this dispatcher's (`$owner`'s) slots;
 * - round robin across workspaces: a workspace's next delivery takes its turn after the ones it
 *   already has in flight here, so a free slot goes to the workspace holding the fewest.
 * Within an endpoint, expired leases (work a dispatcher dropped) go first, then the oldest due.
 * `duePerEndpoint` is each dialect's read of an open endpoint's (`e`) first `$perEndpoint` pending
 * due deliveries from the endpoint index (columns as in `candidates`), so the statement's cost grows
 * with the endpoints, never with the backlog. `endpointFilter` (SQL on `w`) restricts the endpoints.
 */
export const fairClaimOrder = (duePerEndpoint: string, endpointFilter = 'TRUE') => `WITH leases AS (
    SELECT endpoint_id, workspace_id, lease_owner FROM webhook_deliveries
    WHERE status = 'delivering' AND lease_expires_at >= $now
  ), endpoint_load AS (
    SELECT endpoint_id, count(*) AS n FROM leases GROUP BY endpoint_id
  ), workspace_load AS (
    SELECT workspace_id, count(*) AS n FROM leases WHERE lease_owner = $owner GROUP BY workspace_id
  ), open_endpoints AS (
    SELECT w.id, w.workspace_id, $perEndpoint - COALESCE(l.n, 0) AS room
    FROM webhook_endpoints w LEFT JOIN endpoint_load l ON l.endpoint_id = w.id
    WHERE w.enabled AND w.deleted_at IS NULL AND ${endpointFilter} AND COALESCE(l.n, 0) < $perEndpoint
  ), candidates AS (
    SELECT d.id, d.endpoint_id, d.workspace_id, 0 AS part, d.lease_expires_at AS due_at
    FROM webhook_deliveries d
    WHERE d.status = 'delivering' AND d.lease_expires_at < $now
      AND d.endpoint_id IN (SELECT id FROM open_endpoints)
    UNION ALL
    ${duePerEndpoint}
  ), within_room AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.part, c.due_at, c.id) AS nth
    FROM candidates c
  ), turns AS (
    SELECT r.id, r.endpoint_id, r.part, r.due_at,
      COALESCE(wl.n, 0) + row_number() OVER (PARTITION BY r.workspace_id ORDER BY r.part, r.due_at, r.id) AS turn
    FROM within_room r JOIN open_endpoints e ON e.id = r.endpoint_id
      LEFT JOIN workspace_load wl ON wl.workspace_id = r.workspace_id
    WHERE r.nth <= e.room
  )
  SELECT id, endpoint_id FROM turns WHERE turn <= $perWorkspace ORDER BY turn, part, due_at, id LIMIT $limit`;

/** What a claim leases: the delivery is being sent by `$owner` until `$leaseUntil`. */
export const LEASE_DELIVERY = `status = 'delivering', lease_owner = $owner, lease_expires_at = $leaseUntil`;
