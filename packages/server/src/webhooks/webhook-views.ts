import type {
  DeliveryAttemptRecord,
  DeliveryRecord,
  WebhookEndpointRecord,
  WebhookEventType,
} from './records.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** An endpoint as the API shows it: never its secrets. */
export function endpointView(e: WebhookEndpointRecord) {
  return {
    id: e.id,
    object: 'webhook_endpoint' as const,
    mode: e.mode,
    url: e.url,
    description: e.description,
    events: e.events,
    payload: e.payload,
    enabled: e.enabled,
    disabled_reason: e.disabledReason,
    failing_since: isoOrNull(e.failingSince),
    previous_secret_expires_at: isoOrNull(e.previousSecretExpiresAt),
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
  };
}

export function deliveryView(d: DeliveryRecord, attempts: readonly DeliveryAttemptRecord[] = []) {
  return {
    id: d.id,
    object: 'webhook_delivery' as const,
    webhook_id: d.endpointId,
    event_id: d.eventId,
    // The store writes only these (run events and pings).
    event_type: d.eventType as WebhookEventType | 'ping',
    run_id: d.runId,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_latency_ms: d.lastLatencyMs,
    last_error: d.lastError,
    next_attempt_at: d.status === 'pending' ? isoOrNull(d.nextAttemptAt) : null,
    created_at: iso(d.createdAt),
    completed_at: isoOrNull(d.completedAt),
    attempt_log: attempts.map((a) => ({
      attempt: a.attempt,
      started_at: iso(a.startedAt),
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_snippet: a.responseSnippet,
      error: a.error,
    })),
  };
}
