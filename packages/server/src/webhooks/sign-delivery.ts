import { createHmac } from 'node:crypto';

/**
 * The signature headers of one delivery attempt (SPEC §4): Semarize's own and Standard Webhooks',
 * one signature per active secret (two during a rotation). The receiver side is the SDK's
 * `verifyWebhook` (@semarize/client).
 */
export function signatureHeaders(params: {
  eventId: string;
  deliveryId: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): Record<string, string> {
  const { eventId, deliveryId, timestampSeconds: t, body, secrets } = params;
  const semarize = secrets.map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`);
  const standard = secrets.map(
    (s) =>
      `v1,${createHmac('sha256', Buffer.from(s.slice('whsec_'.length), 'base64'))
        .update(`${deliveryId}.${t}.${body}`)
        .digest('base64')}`,
  );
  return {
    'Semarize-Event-Id': eventId,
    'Semarize-Delivery-Id': deliveryId,
    'Semarize-Timestamp': String(t),
    'Semarize-Signature': [`t=${t}`, ...semarize].join(','),
    'webhook-id': deliveryId,
    'webhook-timestamp': String(t),
    'webhook-signature': standard.join(' '),
  };
}
