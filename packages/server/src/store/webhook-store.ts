import type {
  DeliveryAttemptRecord,
  DeliveryRecord,
  WebhookEndpointRecord,
  WebhookScope,
} from '../webhooks/records.ts';
import type { AttemptResult, ClaimedDelivery, WebhookEndpointPatch } from './webhook-records.ts';

/** The webhook part of the Store (endpoints, the delivery queue, the attempts log). */
export interface WebhookStore {
  /**
   * Inserts an endpoint unless its workspace already has `maxPerMode` endpoints in its mode; false
   * (and nothing written) then. Exact under concurrent creates.
   */
  webhookEndpointInsert(endpoint: WebhookEndpointRecord, maxPerMode: number): Promise<boolean>;
  webhookEndpointList(scope: WebhookScope): Promise<WebhookEndpointRecord[]>;
  webhookEndpointGet(scope: WebhookScope, id: string): Promise<WebhookEndpointRecord | null>;
  /** Re-enabling clears the disabled reason and the failure streak. */
  webhookEndpointUpdate(
    scope: WebhookScope,
    id: string,
    patch: WebhookEndpointPatch,
    now: number,
  ): Promise<WebhookEndpointRecord | null>;
  /** The current secret becomes the previous one, signing alongside the new one until `previousExpiresAt`. */
  webhookEndpointRotateSecret(
    scope: WebhookScope,
    id: string,
    secret: string,
    previousExpiresAt: number,
    now: number,
  ): Promise<WebhookEndpointRecord | null>;
  /** Soft delete; its undelivered deliveries fail. */
  webhookEndpointDelete(scope: WebhookScope, id: string, now: number): Promise<boolean>;
  deliveryInsertPing(p: {
    deliveryId: string;
    eventId: string;
    endpoint: WebhookEndpointRecord;
    now: number;
  }): Promise<DeliveryRecord>;
  /**
   * Due deliveries to enabled endpoints (and ones whose lease expired), leased to `owner`, fairly:
   * never more than `maxPerEndpoint` leased at once to one endpoint, whichever dispatchers hold
   * them (exact under concurrent claims); never more than `maxPerWorkspace` of one workspace held by
   * `owner`; and taken round robin across workspaces, the ones holding fewest first.
   */
  deliveryClaimDue(p: {
    owner: string;
    limit: number;
    now: number;
    leaseMs: number;
    maxPerEndpoint: number;
    maxPerWorkspace: number;
  }): Promise<ClaimedDelivery[]>;
  /** Records an attempt and its consequences; false when `owner` no longer holds the lease. */
  deliveryRecordAttempt(result: AttemptResult, now: number): Promise<boolean>;
  /** Newest first, up to `limit + 1` rows. */
  deliveryList(p: {
    workspaceId: string;
    endpointId: string;
    limit: number;
    beforeId?: string;
  }): Promise<DeliveryRecord[]>;
  deliveryAttemptList(deliveryIds: readonly string[]): Promise<DeliveryAttemptRecord[]>;
  /** A delivery to one of the scope's endpoints. */
  deliveryGet(scope: WebhookScope, id: string): Promise<DeliveryRecord | null>;
  /** Due again now; a delivery being sent at this moment is left as it is. */
  deliveryRedeliver(scope: WebhookScope, id: string, now: number): Promise<DeliveryRecord | null>;
}
