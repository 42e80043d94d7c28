import type {
  AttemptResult,
  ClaimedDelivery,
  DeliveryAttemptRecord,
  DeliveryRecord,
  WebhookEndpointPatch,
  WebhookEndpointRecord,
} from './webhook-records.ts';

/** The webhook part of the Store (endpoints, the delivery queue, the attempts log). */
export interface WebhookStore {
  insertWebhookEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  listWebhookEndpoints(workspaceId: string): Promise<WebhookEndpointRecord[]>;
  getWebhookEndpoint(workspaceId: string, id: string): Promise<WebhookEndpointRecord | null>;
  /** Re-enabling clears the disabled reason and the failure streak. */
  updateWebhookEndpoint(
    workspaceId: string,
    id: string,
    patch: WebhookEndpointPatch,
    now: number,
  ): Promise<WebhookEndpointRecord | null>;
  /** The current secret becomes the previous one, signing alongside the new one until `previousExpiresAt`. */
  rotateWebhookSecret(
    workspaceId: string,
    id: string,
    secret: string,
    previousExpiresAt: number,
    now: number,
  ): Promise<WebhookEndpointRecord | null>;
  /** Soft delete; its undelivered deliveries fail. */
  deleteWebhookEndpoint(workspaceId: string, id: string, now: number): Promise<boolean>;
  insertPingDelivery(p: {
    deliveryId: string;
    eventId: string;
    endpoint: WebhookEndpointRecord;
    now: number;
  }): Promise<DeliveryRecord>;
  /** Due deliveries to enabled endpoints (and ones whose lease expired), leased to `owner`. */
  claimDueDeliveries(p: {
    owner: string;
    limit: number;
    now: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]>;
  /** Records an attempt and its consequences; false when `owner` no longer holds the lease. */
  recordDeliveryAttempt(result: AttemptResult, now: number): Promise<boolean>;
  /** Newest first, up to `limit + 1` rows. */
  listDeliveries(p: {
    workspaceId: string;
    endpointId: string;
    limit: number;
    beforeId?: string;
  }): Promise<DeliveryRecord[]>;
  listDeliveryAttempts(deliveryIds: readonly string[]): Promise<DeliveryAttemptRecord[]>;
  getDelivery(workspaceId: string, id: string): Promise<DeliveryRecord | null>;
  /** Due again now; a delivery being sent at this moment is left as it is. */
  redeliver(workspaceId: string, id: string, now: number): Promise<DeliveryRecord | null>;
}
