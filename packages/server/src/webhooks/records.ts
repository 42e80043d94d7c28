import type { KeyMode } from '../keys/records.ts';

/** Webhook endpoints, deliveries and attempts as the rest of the server sees them (times in ms). */

export const WEBHOOK_EVENT_TYPES = ['run.succeeded', 'run.failed', 'run.cancelled'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Whose endpoints: a workspace's, in one mode (SPEC §9.1). A key sees, changes and receives only
 * its own mode's endpoints and deliveries.
 */
export interface WebhookScope {
  workspaceId: string;
  mode: KeyMode;
}

export interface WebhookEndpointRecord {
  id: string;
  workspaceId: string;
  /** Live endpoints receive events of api runs; test endpoints those of sandbox runs. */
  mode: KeyMode;
  url: string;
  description: string;
  events: WebhookEventType[];
  payload: 'full' | 'thin';
  enabled: boolean;
  /** Why the server disabled it: `gone` (the receiver answered 410) or `failing` (5 days of failures). */
  disabledReason: 'gone' | 'failing' | null;
  secret: string;
  /** The secret before the last rotation, still signing until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  /** Start of the current run of failed deliveries; null after a success. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

export interface DeliveryRecord {
  id: string;
  eventId: string;
  eventType: string;
  eventCreatedAt: number;
  runId: string | null;
  endpointId: string;
  workspaceId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface DeliveryAttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
}
