import type { BrickResults, BrickResultsOf, SucceededRun, UnsuccessfulRun } from '../types/run.ts';

/** The events an endpoint can subscribe to: one per terminal transition of a run. */
export type RunEventType = 'run.succeeded' | 'run.failed' | 'run.cancelled';

interface EventFields {
  /** `evt_…`: the same on every retry and every endpoint, so it deduplicates deliveries. */
  id: string;
  object: 'event';
  created_at: string;
}

/** `data` is the run detail; thin endpoints (and bodies over 256 KiB) omit `data.output`. */
export interface RunSucceededEvent<B extends BrickResultsOf<B> = BrickResults> extends EventFields {
  type: 'run.succeeded';
  data: SucceededRun<B>;
}

export interface RunFailedEvent extends EventFields {
  type: 'run.failed';
  data: UnsuccessfulRun & { status: 'failed' };
}

export interface RunCancelledEvent extends EventFields {
  type: 'run.cancelled';
  data: UnsuccessfulRun & { status: 'cancelled' };
}

/** Sent by `POST /v1/webhooks/{id}/test`. */
export interface PingEvent extends EventFields {
  type: 'ping';
  data: { webhook_id: string; message: string };
}

/** A verified webhook event; narrow on `type`. */
export type WebhookEvent<B extends BrickResultsOf<B> = BrickResults> =
  | RunSucceededEvent<B>
  | RunFailedEvent
  | RunCancelledEvent
  | PingEvent;
