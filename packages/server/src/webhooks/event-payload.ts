import { runDetailJson } from '../runs/run-view.ts';
import type { ClaimedDelivery } from '../store/webhook-records.ts';

/** Above this, payloads are always thin: receivers fetch the output with GET /v1/runs/{runId}. */
export const FULL_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/**
 * The JSON body of a delivery: `{id, object: "event", type, created_at, data}`, where data is the
 * run detail (without `output` for thin endpoints, or when the full body would exceed 256 KiB).
 * A run is terminal once its event exists, so the detail is the same on every attempt.
 */
export function eventBody(delivery: ClaimedDelivery): string {
  const envelope = {
    id: delivery.eventId,
    object: 'event',
    type: delivery.eventType,
    created_at: new Date(delivery.eventCreatedAt).toISOString(),
  };
  if (delivery.eventType === 'ping' || delivery.runId === null) {
    return JSON.stringify({
      ...envelope,
      data: {
        webhook_id: delivery.endpointId,
        message: 'Test event from Semarize: your endpoint is reachable.',
      },
    });
  }
  const run = delivery.run;
  if (!run) throw new Error(`run ${delivery.runId} of delivery ${delivery.id} is missing`);
  // The run detail is spliced in as JSON text (the stored output is not re-serialised).
  const withData = (data: string) => `${JSON.stringify(envelope).slice(0, -1)},"data":${data}}`;
  if (delivery.endpoint.payload === 'full') {
    const full = withData(runDetailJson(run));
    if (Buffer.byteLength(full) <= FULL_PAYLOAD_LIMIT_BYTES) return full;
  }
  return withData(runDetailJson({ ...run, outputJson: null }));
}
