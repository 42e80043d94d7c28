import type { BrickResults, BrickResultsOf } from '../types/run.ts';
import type { WebhookEvent } from './events.ts';
import { type VerifyOptions, verifyWebhook, type WebhookHeaders } from './verify.ts';

/** `client.webhooks`: receiving Semarize's signed deliveries. */
export class Webhooks {
  /**
   * Verifies a delivery against the raw request body and your endpoint's secret (or secrets, while
   * rotating) and returns the typed event. Throws WebhookVerificationError when it does not verify.
   */
  verify<B extends BrickResultsOf<B> = BrickResults>(
    rawBody: string | Uint8Array,
    headers: WebhookHeaders,
    secret: string | readonly string[],
    options: VerifyOptions = {},
  ): Promise<WebhookEvent<B>> {
    return verifyWebhook<B>(rawBody, headers, secret, options);
  }
}
