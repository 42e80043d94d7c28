/** The prose of the OpenAPI document: what the reference page says beside the operations. */

export const TAGS = [
  { name: 'Runs', description: 'Run a Kit on a conversation, wait for it, read, list and cancel runs.' },
  { name: 'Kits', description: 'Kits: versioned, ordered sets of Bricks that a run evaluates.' },
  { name: 'Bricks', description: 'Bricks: one typed question about a conversation, with its engine.' },
  { name: 'Webhooks', description: 'Endpoints that receive run events, and the log of deliveries.' },
  { name: 'API keys', description: 'The workspace’s keys; live admin keys only.' },
  { name: 'Operations', description: 'Liveness and readiness, for load balancers and orchestrators.' },
  { name: 'Webhook events', description: 'What the server POSTs to your endpoints.' },
];

export const API_DESCRIPTION = `Run Kits of typed, evidence-backed Bricks against conversations.

## Authentication
Every \`/v1\` request sends \`Authorization: Bearer <key>\`. \`smz_live_…\` keys run real engines;
\`smz_test_…\` keys see only the sandbox (placeholder results, no model calls, test-mode webhooks).
\`runner\` keys read and run; \`admin\` keys also manage Kits, Bricks, webhooks and keys.

## Runs
Creating a run answers **202** with the queued run, a \`Location\` and a \`Retry-After\` hint: poll
\`GET /v1/runs/{runId}\` (or long-poll it with \`Prefer: wait=N\`). \`mode: "sync"\` (or \`Prefer: wait=N\`)
waits on the server and answers **200** with the finished run, or **202** with \`sync_fallback: true\`
when the wait ran out. A run ends \`succeeded\` (with \`output\`), \`failed\` or \`cancelled\` (with
\`error_code\`).

## Idempotency
Send an \`Idempotency-Key\` on \`POST /v1/runs\`: a retry with the same key and body returns the original
run (with \`Idempotent-Replayed: true\`); the same key with another body is \`409 idempotency_key_conflict\`.

## Rate limits
Each key has a \`create\` bucket (runs, tests, Kit, Brick, webhook and key changes) and a \`read\` bucket,
refilled per minute. Answers carry \`RateLimit-Policy\` and \`RateLimit\`; a refusal is \`429 rate_limited\`
with \`Retry-After\`.

## Errors
Every error is \`{"error": code, "message", "detail"?, "retry_after_seconds"?, "request_id"}\` with a
stable \`error\` code from the catalog (the \`Error\` schema lists them all; each operation lists its own).

## Webhooks
Endpoints receive \`run.succeeded\`, \`run.failed\` and \`run.cancelled\` events (and \`ping\` on request),
each signed twice — see **Webhook events** below for the body and both signature schemes.

## MCP
AI agents reach the same Kits and runs as tools at \`POST /mcp\` (Model Context Protocol over Streamable
HTTP, stateless, same bearer keys); it speaks JSON-RPC, so it is not an operation here.`;

export const WEBHOOK_DESCRIPTION = `POSTed to your endpoint's URL. **Answer any 2xx within 10 s**, then do
the work; anything else (an error status, a timeout, a redirect) is retried with backoff (about 10 s,
1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, then daily) for 3 days, and \`410\` disables the
endpoint. Delivery is at least once: **deduplicate on \`Semarize-Event-Id\`** (= body \`id\`).

**Verify the raw body before parsing it**, with either scheme (both are on every request):

- **Semarize-Signature**: \`t=<unix seconds>,v1=<hex>\` where \`hex = HMAC-SHA256(key = the whole secret
  string, "whsec_" included, message = "<t>.<raw body>")\`. During a secret rotation there are two
  \`v1=\` entries (new and previous secret): accept if any matches. Refuse timestamps older than 5 minutes.
- **Standard Webhooks** (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`): \`webhook-signature\`
  is space-separated \`v1,<base64>\` entries, each \`HMAC-SHA256(key = base64-decoded secret after "whsec_",
  message = "<webhook-id>.<webhook-timestamp>.<raw body>")\`; any Standard Webhooks library verifies it.

The SDK's \`verifyWebhook\` checks either.`;

/** The headers of every delivery attempt (`webhooks/sign-delivery.ts` writes them). */
export const WEBHOOK_DELIVERY_HEADERS = [
  {
    name: 'Semarize-Event-Id',
    description: 'evt_…, the same on every attempt and endpoint: deduplicate on it',
    example: 'evt_01J9ZK6S4N6W2Y0D5R3T7V8X9A',
  },
  {
    name: 'Semarize-Delivery-Id',
    description: 'dlv_…, one per event and endpoint, the same on every attempt',
    example: 'dlv_01J9ZK6S4N6W2Y0D5R3T7V8X9B',
  },
  { name: 'Semarize-Timestamp', description: 'Unix seconds of this attempt', example: '1767225600' },
  {
    name: 'Semarize-Signature',
    description: 't=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>; a second v1= during a rotation',
    example: 't=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  },
  {
    name: 'webhook-id',
    description: 'Standard Webhooks: the delivery id',
    example: 'dlv_01J9ZK6S4N6W2Y0D5R3T7V8X9B',
  },
  { name: 'webhook-timestamp', description: 'Standard Webhooks: unix seconds', example: '1767225600' },
  {
    name: 'webhook-signature',
    description:
      'Standard Webhooks: space-separated v1,<base64 HMAC-SHA256(base64-decoded secret, "<id>.<timestamp>.<body>")>',
    example: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
] as const;
