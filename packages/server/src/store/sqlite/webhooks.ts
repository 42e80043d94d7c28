import type {
  DeliveryAttemptRecord,
  DeliveryRecord,
  WebhookEndpointRecord,
  WebhookScope,
} from '../../webhooks/records.ts';
import type { AttemptResult, ClaimedDelivery, WebhookEndpointPatch } from '../webhook-records.ts';
import { attemptColumns, toAttempt, toDelivery, toEndpoint } from '../webhook-row-mappers.ts';
import {
  DELIVERY_FAIL_OF_DELETED_ENDPOINT,
  DELIVERY_GET,
  DELIVERY_REDELIVER,
  endpointParams,
  fairClaimOrder,
  LEASE_DELIVERY,
  RUN_MODE,
  WEBHOOK_ENDPOINT_COUNT,
  WEBHOOK_ENDPOINT_DELETE,
  WEBHOOK_ENDPOINT_GET,
  WEBHOOK_ENDPOINT_INSERT,
  WEBHOOK_ENDPOINT_LIST,
  WEBHOOK_ENDPOINT_ROTATE_SECRET,
} from '../webhook-sql.ts';
import type { WebhookStore } from '../webhook-store.ts';
import type { SqliteDatabase } from './database.ts';
import { runGet } from './read-runs.ts';

/** Counts the scope's endpoints and inserts under the limit, in one write transaction (exact). */
export function webhookEndpointInsert(
  db: SqliteDatabase,
  e: WebhookEndpointRecord,
  maxPerMode: number,
): boolean {
  return db.transaction(() => {
    const count = Number(
      db.get(WEBHOOK_ENDPOINT_COUNT, { workspaceId: e.workspaceId, mode: e.mode })?.['n'] ?? 0,
    );
    if (count >= maxPerMode) return false;
    db.run(WEBHOOK_ENDPOINT_INSERT, { ...endpointParams(e), enabled: e.enabled ? 1 : 0 });
    return true;
  });
}

export function webhookEndpointList(db: SqliteDatabase, scope: WebhookScope): WebhookEndpointRecord[] {
  return db.all(WEBHOOK_ENDPOINT_LIST, { ...scope }).map(toEndpoint);
}

export function webhookEndpointGet(
  db: SqliteDatabase,
  scope: WebhookScope,
  id: string,
): WebhookEndpointRecord | null {
  const row = db.get(WEBHOOK_ENDPOINT_GET, { ...scope, id });
  return row ? toEndpoint(row) : null;
}

export function webhookEndpointUpdate(
  db: SqliteDatabase,
  scope: WebhookScope,
  id: string,
  patch: WebhookEndpointPatch,
  now: number,
): WebhookEndpointRecord | null {
  return db.transaction(() => {
    const current = webhookEndpointGet(db, scope, id);
    if (!current) return null;
    // Re-enabling starts afresh: the reason and the failure streak are forgotten.
    const reenabled = patch.enabled === true && !current.enabled;
    db.run(
      `UPDATE webhook_endpoints SET url = $url, description = $description, events = $events, payload = $payload,
         enabled = $enabled, disabled_reason = $disabledReason, failing_since = $failingSince, updated_at = $now
       WHERE id = $id`,
      {
        id,
        now,
        url: patch.url ?? current.url,
        description: patch.description ?? current.description,
        events: JSON.stringify(patch.events ?? current.events),
        payload: patch.payload ?? current.payload,
        enabled: (patch.enabled ?? current.enabled) ? 1 : 0,
        disabledReason: reenabled || patch.enabled === false ? null : current.disabledReason,
        failingSince: reenabled ? null : current.failingSince,
      },
    );
    return webhookEndpointGet(db, scope, id);
  });
}

export function webhookEndpointRotateSecret(
  db: SqliteDatabase,
  scope: WebhookScope,
  id: string,
  secret: string,
  previousExpiresAt: number,
  now: number,
): WebhookEndpointRecord | null {
  const row = db.get(WEBHOOK_ENDPOINT_ROTATE_SECRET, { ...scope, id, secret, previousExpiresAt, now });
  return row ? toEndpoint(row) : null;
}

export function webhookEndpointDelete(
  db: SqliteDatabase,
  scope: WebhookScope,
  id: string,
  now: number,
): boolean {
  return db.transaction(() => {
    const changed = db.run(WEBHOOK_ENDPOINT_DELETE, { ...scope, id, now });
    if (changed) db.run(DELIVERY_FAIL_OF_DELETED_ENDPOINT, { id, now });
    return changed > 0;
  });
}

/**
 * Fans an event out to the workspace's enabled endpoints that subscribe to its type: one delivery
 * per endpoint, due at once or at `dueAt`. Called inside the transaction that writes the event.
 */
export function insertDeliveriesForEvent(
  db: SqliteDatabase,
  e: { eventId: string; type: string; workspaceId: string; runId: string | null; at: number; dueAt?: number },
): void {
  db.run(
    `INSERT INTO webhook_deliveries (id, event_id, event_type, event_created_at, run_id, endpoint_id, workspace_id,
       status, attempts, next_attempt_at, created_at)
     SELECT 'dlv_' || lower(hex(randomblob(13))), $eventId, $type, $at, $runId, w.id, w.workspace_id, 'pending', 0, $dueAt, $at
     FROM webhook_endpoints w
     WHERE w.workspace_id = $workspaceId AND w.enabled = 1 AND w.deleted_at IS NULL
       AND w.mode = ${RUN_MODE('$runId')}
       AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE json_each.value = $type)`,
    {
      eventId: e.eventId,
      type: e.type,
      at: e.at,
      dueAt: e.dueAt ?? e.at,
      runId: e.runId,
      workspaceId: e.workspaceId,
    },
  );
}

/** A `ping` delivery to one endpoint (POST /v1/webhooks/{id}/test). */
export function deliveryInsertPing(
  db: SqliteDatabase,
  p: { deliveryId: string; eventId: string; endpoint: WebhookEndpointRecord; now: number },
): DeliveryRecord {
  db.run(
    `INSERT INTO webhook_deliveries (id, event_id, event_type, event_created_at, run_id, endpoint_id, workspace_id,
       status, attempts, next_attempt_at, created_at)
     VALUES ($id, $eventId, 'ping', $now, NULL, $endpointId, $workspaceId, 'pending', 0, $now, $now)`,
    {
      id: p.deliveryId,
      eventId: p.eventId,
      now: p.now,
      endpointId: p.endpoint.id,
      workspaceId: p.endpoint.workspaceId,
    },
  );
  return toDelivery(db.get('SELECT * FROM webhook_deliveries WHERE id = $id', { id: p.deliveryId })!);
}

/**
 * An open endpoint's (`e`) first pending due deliveries, from the endpoint index: SQLite has no
 * LATERAL, and a correlated `IN` drives the lookups per endpoint the same way.
 */
const DUE_PER_ENDPOINT = `SELECT d.id, d.endpoint_id, d.workspace_id, 1 AS part, d.next_attempt_at AS due_at
    FROM open_endpoints e JOIN webhook_deliveries d ON d.id IN (
      SELECT x.id FROM webhook_deliveries x
      WHERE x.endpoint_id = e.id AND x.status = 'pending' AND x.next_attempt_at <= $now
      ORDER BY x.next_attempt_at LIMIT $perEndpoint)`;

const FAIR_CLAIM_ORDER = fairClaimOrder(DUE_PER_ENDPOINT);

/**
 * Claims due deliveries fairly (fairClaimOrder) with a lease; a delivery whose dispatcher died
 * mid-attempt (lease expired) is due again. One writer at a time makes the per-endpoint count exact.
 */
export function deliveryClaimDue(
  db: SqliteDatabase,
  p: {
    owner: string;
    limit: number;
    now: number;
    leaseMs: number;
    maxPerEndpoint: number;
    maxPerWorkspace: number;
  },
): ClaimedDelivery[] {
  // The dispatcher looks after every finished run; most of the time nothing is due, and two
  // index-only reads answer that without taking the write lock.
  const due =
    db.get(
      `SELECT 1 AS due FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $now LIMIT 1`,
      {
        now: p.now,
      },
    ) ??
    db.get(
      `SELECT 1 AS due FROM webhook_deliveries WHERE status = 'delivering' AND lease_expires_at < $now LIMIT 1`,
      {
        now: p.now,
      },
    );
  if (!due) return [];
  return db.transaction(() => {
    const chosen = db.all(FAIR_CLAIM_ORDER, {
      owner: p.owner,
      now: p.now,
      limit: p.limit,
      perEndpoint: p.maxPerEndpoint,
      perWorkspace: p.maxPerWorkspace,
    });
    if (chosen.length === 0) return [];
    const rows = db.all(
      `UPDATE webhook_deliveries SET ${LEASE_DELIVERY}
       WHERE id IN (SELECT value FROM json_each($ids))
       RETURNING *`,
      { owner: p.owner, leaseUntil: p.now + p.leaseMs, ids: JSON.stringify(chosen.map((r) => r['id'])) },
    );
    return rows.map((r) => {
      const endpoint = toEndpoint(
        db.get('SELECT * FROM webhook_endpoints WHERE id = $id', { id: r['endpoint_id'] as string })!,
      );
      const delivery = toDelivery(r);
      const run = delivery.runId === null ? null : runGet(db, delivery.workspaceId, delivery.runId);
      return { ...delivery, endpoint, run };
    });
  });
}

/** Records one attempt and its consequences, in one transaction; only by the lease holder. */
export function deliveryRecordAttempt(db: SqliteDatabase, r: AttemptResult, now: number): boolean {
  return db.transaction(() => {
    const a = r.attempt;
    const changed = db.run(
      `UPDATE webhook_deliveries SET status = $status, attempts = $attempt, next_attempt_at = $next,
         lease_owner = NULL, lease_expires_at = NULL, last_status_code = $statusCode, last_latency_ms = $latency,
         last_error = $error, completed_at = $completedAt
       WHERE id = $id AND status = 'delivering' AND lease_owner = $owner`,
      attemptColumns(r, now),
    );
    if (!changed) return false;
    db.run(
      `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, response_snippet, error)
       VALUES ($deliveryId, $attempt, $startedAt, $statusCode, $latency, $snippet, $error)`,
      {
        deliveryId: a.deliveryId,
        attempt: a.attempt,
        startedAt: a.startedAt,
        statusCode: a.statusCode,
        latency: a.latencyMs,
        snippet: a.responseSnippet,
        error: a.error,
      },
    );
    const endpointId = db.get('SELECT endpoint_id FROM webhook_deliveries WHERE id = $id', {
      id: r.deliveryId,
    })!['endpoint_id'] as string;
    if (r.outcome === 'succeeded') {
      db.run('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $endpointId', { endpointId });
    } else {
      db.run(
        'UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $startedAt) WHERE id = $endpointId',
        {
          endpointId,
          startedAt: a.startedAt,
        },
      );
    }
    if (r.disableEndpoint) {
      db.run(
        'UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $reason, updated_at = $now WHERE id = $endpointId',
        {
          endpointId,
          reason: r.disableEndpoint,
          now,
        },
      );
    }
    return true;
  });
}

export function deliveryList(
  db: SqliteDatabase,
  p: { workspaceId: string; endpointId: string; limit: number; beforeId?: string },
): DeliveryRecord[] {
  const rows = db.all(
    `SELECT d.* FROM webhook_deliveries d
     WHERE d.workspace_id = $workspaceId AND d.endpoint_id = $endpointId
       AND ($beforeId IS NULL OR (d.created_at, d.id) <
         (SELECT c.created_at, c.id FROM webhook_deliveries c WHERE c.id = $beforeId))
     ORDER BY d.created_at DESC, d.id DESC LIMIT $limit`,
    {
      workspaceId: p.workspaceId,
      endpointId: p.endpointId,
      beforeId: p.beforeId ?? null,
      limit: p.limit + 1,
    },
  );
  return rows.map(toDelivery);
}

export function deliveryAttemptList(
  db: SqliteDatabase,
  deliveryIds: readonly string[],
): DeliveryAttemptRecord[] {
  if (deliveryIds.length === 0) return [];
  return db
    .all(
      `SELECT * FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each($ids)) ORDER BY delivery_id, attempt`,
      { ids: JSON.stringify(deliveryIds) },
    )
    .map(toAttempt);
}

export function deliveryGet(db: SqliteDatabase, scope: WebhookScope, id: string): DeliveryRecord | null {
  const row = db.get(DELIVERY_GET, { ...scope, id });
  return row ? toDelivery(row) : null;
}

/** Makes a delivery due again now (manual redeliver); a delivery being sent right now is left alone. */
export function deliveryRedeliver(
  db: SqliteDatabase,
  scope: WebhookScope,
  id: string,
  now: number,
): DeliveryRecord | null {
  db.run(DELIVERY_REDELIVER, { ...scope, id, now });
  return deliveryGet(db, scope, id);
}

/** The SQLite WebhookStore, from the statements above. */
export function sqliteWebhookStore(db: SqliteDatabase): WebhookStore {
  return {
    webhookEndpointInsert: (e, max) => db.write(() => webhookEndpointInsert(db, e, max)),
    webhookEndpointList: async (w) => webhookEndpointList(db, w),
    webhookEndpointGet: async (w, id) => webhookEndpointGet(db, w, id),
    webhookEndpointUpdate: (w, id, patch, now) =>
      db.write(() => webhookEndpointUpdate(db, w, id, patch, now)),
    webhookEndpointRotateSecret: (w, id, secret, until, now) =>
      db.write(() => webhookEndpointRotateSecret(db, w, id, secret, until, now)),
    webhookEndpointDelete: (w, id, now) => db.write(() => webhookEndpointDelete(db, w, id, now)),
    deliveryInsertPing: (p) => db.write(() => deliveryInsertPing(db, p)),
    deliveryClaimDue: (p) => db.write(() => deliveryClaimDue(db, p)),
    deliveryRecordAttempt: (r, now) => db.write(() => deliveryRecordAttempt(db, r, now)),
    deliveryList: async (p) => deliveryList(db, p),
    deliveryAttemptList: async (ids) => deliveryAttemptList(db, ids),
    deliveryGet: async (w, id) => deliveryGet(db, w, id),
    deliveryRedeliver: (w, id, now) => db.write(() => deliveryRedeliver(db, w, id, now)),
  };
}
