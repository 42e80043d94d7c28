/** Webhook endpoints and their deliveries as the API shows them (SPEC §4). */

/** Run events an endpoint can subscribe to. */
export type WebhookEventType = 'run.succeeded' | 'run.failed' | 'run.cancelled';

/** `full` carries the run's output; `thin` omits it (always, over 256 KiB): fetch the run instead. */
export type WebhookPayload = 'full' | 'thin';

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  /**
   * The mode of the key that created it: `live` endpoints receive the events of api runs, `test`
   * endpoints those of sandbox runs. A key sees and manages only its own mode's endpoints.
   */
  mode: 'live' | 'test';
  url: string;
  description: string;
  events: WebhookEventType[];
  payload: WebhookPayload;
  enabled: boolean;
  /** Why the server disabled it (`gone` after a 410, `failing` after 5 days of failures), or null. */
  disabled_reason: 'gone' | 'failing' | null;
  /** When the current run of failed deliveries began, or null. */
  failing_since: string | null;
  /** Until when the secret before the last rotation still signs, beside the new one. */
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Creation and rotation answer with the signing secret, once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  /** `whsec_…`: keep it where your receiver can read it; it is never shown again. */
  secret: string;
}

export interface CreateWebhookEndpointParams {
  /** `https` on a public address (the server refuses private ones unless started to allow them). */
  url: string;
  /** Default: every run event. */
  events?: WebhookEventType[];
  /** Default `full`. */
  payload?: WebhookPayload;
  /** Default true. */
  enabled?: boolean;
  description?: string;
}

export type UpdateWebhookEndpointParams = Partial<CreateWebhookEndpointParams>;

export interface DeletedWebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  deleted: true;
}

export interface WebhookDeliveryAttempt {
  attempt: number;
  started_at: string;
  status_code: number | null;
  latency_ms: number;
  /** The start of the receiver's answer, bounded. */
  response_snippet: string | null;
  error: string | null;
}

/**
 * One event sent to one endpoint. `attempt_log` lists every attempt in `deliveries()`; the answers of
 * `sendTest` and `redeliver` leave it empty.
 */
export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType | 'ping';
  /** Null for a test ping. */
  run_id: string | null;
  status: 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  /** When the next attempt is due, while pending. */
  next_attempt_at: string | null;
  created_at: string;
  completed_at: string | null;
  attempt_log: WebhookDeliveryAttempt[];
}

/** A page of a list: `data`, and the cursor of the next page while `has_more`. */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
