import type { DeliveryAttemptRecord, DeliveryRecord, WebhookEndpointRecord } from '../webhooks/records.ts';
import type { AttemptResult } from './webhook-records.ts';

/** Maps webhook rows (the same columns in both dialects) to records. */
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export const toEndpoint = (r: Row): WebhookEndpointRecord => ({
  id: String(r['id']),
  workspaceId: String(r['workspace_id']),
  mode: String(r['mode']) as WebhookEndpointRecord['mode'],
  url: String(r['url']),
  description: String(r['description']),
  events:
    typeof r['events'] === 'string'
      ? JSON.parse(r['events'])
      : (r['events'] as WebhookEndpointRecord['events']),
  payload: r['payload'] as WebhookEndpointRecord['payload'],
  enabled: Boolean(r['enabled']),
  disabledReason: (r['disabled_reason'] as WebhookEndpointRecord['disabledReason']) ?? null,
  secret: String(r['secret']),
  previousSecret: (r['previous_secret'] as string | null) ?? null,
  previousSecretExpiresAt: num(r['previous_secret_expires_at']),
  failingSince: num(r['failing_since']),
  createdAt: Number(r['created_at']),
  updatedAt: Number(r['updated_at']),
});

export const toDelivery = (r: Row): DeliveryRecord => ({
  id: String(r['id']),
  eventId: String(r['event_id']),
  eventType: String(r['event_type']),
  eventCreatedAt: Number(r['event_created_at']),
  runId: (r['run_id'] as string | null) ?? null,
  endpointId: String(r['endpoint_id']),
  workspaceId: String(r['workspace_id']),
  status: r['status'] as DeliveryRecord['status'],
  attempts: Number(r['attempts']),
  nextAttemptAt: num(r['next_attempt_at']),
  lastStatusCode: num(r['last_status_code']),
  lastLatencyMs: num(r['last_latency_ms']),
  lastError: (r['last_error'] as string | null) ?? null,
  createdAt: Number(r['created_at']),
  completedAt: num(r['completed_at']),
});

export const toAttempt = (r: Row): DeliveryAttemptRecord => ({
  deliveryId: String(r['delivery_id']),
  attempt: Number(r['attempt']),
  startedAt: Number(r['started_at']),
  statusCode: num(r['status_code']),
  latencyMs: Number(r['latency_ms']),
  responseSnippet: (r['response_snippet'] as string | null) ?? null,
  error: (r['error'] as string | null) ?? null,
});

/**
 * The delivery columns recording an attempt writes, as SQL parameters (both dialects); `id` and
 * `owner` are the lease holder's fence.
 */
export function attemptColumns(r: AttemptResult, now: number) {
  const a = r.attempt;
  return {
    id: r.deliveryId,
    owner: r.owner,
    status: r.outcome === 'retry' ? 'pending' : r.outcome,
    attempt: a.attempt,
    next: r.outcome === 'retry' ? r.nextAttemptAt : null,
    statusCode: a.statusCode,
    latency: a.latencyMs,
    error: a.error,
    completedAt: r.outcome === 'retry' ? null : now,
  };
}
