import type { RunRecord } from '../runs/records.ts';
import type {
  DeliveryAttemptRecord,
  DeliveryRecord,
  WebhookEndpointRecord,
  WebhookEventType,
} from '../webhooks/records.ts';

/** What the store's webhook methods take and give besides the records of webhooks/records.ts. */

/** A delivery claimed by a dispatcher, with what it needs to send it. */
export interface ClaimedDelivery extends DeliveryRecord {
  endpoint: WebhookEndpointRecord;
  /**
   * The run of a run event, read with the claim (a run is terminal once its event exists, so it is
   * what every attempt sends); null for a test ping.
   */
  run: RunRecord | null;
}

export interface WebhookEndpointPatch {
  url?: string;
  description?: string;
  events?: WebhookEventType[];
  payload?: 'full' | 'thin';
  enabled?: boolean;
}

/** What one attempt ended with, and what follows from it. */
export interface AttemptResult {
  deliveryId: string;
  owner: string;
  attempt: DeliveryAttemptRecord;
  outcome: 'succeeded' | 'retry' | 'failed';
  nextAttemptAt: number | null;
  /** Disable the endpoint as a consequence (410 Gone, or failing for five days). */
  disableEndpoint: 'gone' | 'failing' | null;
}
