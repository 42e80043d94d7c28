/**
 * Receiver-side verification of a delivery. It lives in the SDK (@semarize/client), which receivers
 * use; the server re-exports it so there is one implementation, tested from both sides.
 */
export * from '../../../client/src/webhooks/verify.ts';
