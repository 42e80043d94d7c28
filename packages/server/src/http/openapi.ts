import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CreateKeyBody } from '../keys/key-request-schemas.ts';
import {
  CreateBrickBody,
  CreateBrickVersionBody,
  CreateKitBody,
  CreateKitVersionBody,
  GetBrickQuery,
  KitSchemaQuery,
} from '../kits/kit-request-schemas.ts';
import { CreateRunBody, GetRunQuery, ListRunsQuery } from '../runs/request-schemas.ts';
import { WEBHOOK_EVENT_TYPES } from '../store/webhook-records.ts';
import {
  CreateWebhookBody,
  ListDeliveriesQuery,
  UpdateWebhookBody,
} from '../webhooks/webhook-request-schemas.ts';
import { ERROR_CATALOG } from './api-error.ts';
import {
  Brick,
  BrickWithVersions,
  Kit,
  KitSchema,
  KitSummary,
  KitVersion,
  listOf,
  RunDetail,
  RunList,
  TestResult,
} from './response-schemas.ts';

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;

/** Response shapes, for documentation; requests are documented from the schemas that validate them. */
const WebhookEndpoint = z.object({
  id: z.string().describe('"we_" + ULID'),
  object: z.literal('webhook_endpoint'),
  mode: z
    .enum(['live', 'test'])
    .describe(
      "The creating key's mode: live endpoints receive events of api runs, test ones of sandbox runs",
    ),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  payload: z.enum(['full', 'thin']),
  enabled: z.boolean(),
  disabled_reason: z
    .enum(['gone', 'failing'])
    .nullable()
    .describe('Why the server disabled it: the receiver answered 410, or failed every delivery for 5 days'),
  failing_since: z.iso.datetime().nullable().describe('Start of the current streak of failed attempts'),
  previous_secret_expires_at: z.iso
    .datetime()
    .nullable()
    .describe('Until then the secret before the last rotation signs too'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
const ApiKey = z.object({
  id: z.string().describe('"key_" + ULID'),
  object: z.literal('api_key'),
  hint: z.string().describe('Prefix and last 4 characters: identifies the key without revealing it'),
  role: z.enum(['admin', 'runner']),
  mode: z.enum(['live', 'test']),
  name: z.string().nullable(),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
  last_used_at: z.iso.datetime().nullable().describe('Accurate to about a minute; null when never used'),
});
const ApiKeyWithSecret = ApiKey.extend({
  secret: z.string().describe('smz_live_… or smz_test_…. Shown only here: store it now'),
});
const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe('whsec_ + base64 of 32 bytes. Shown only here: store it now'),
});
const WebhookDelivery = z.object({
  id: z.string().describe('"dlv_…": the same on every attempt (the webhook-id header)'),
  object: z.literal('webhook_delivery'),
  webhook_id: z.string(),
  event_id: z.string().describe('"evt_…": the same for every endpoint and attempt'),
  event_type: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']),
  run_id: z.string().nullable(),
  status: z.enum(['pending', 'delivering', 'succeeded', 'failed']),
  attempts: z.int(),
  last_status_code: z.int().nullable(),
  last_latency_ms: z.int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
  attempt_log: z.array(
    z.object({
      attempt: z.int(),
      started_at: z.iso.datetime(),
      status_code: z.int().nullable(),
      latency_ms: z.int(),
      response_snippet: z.string().nullable().describe('The first 1 KiB of the response body'),
      error: z.string().nullable(),
    }),
  ),
});
const WebhookEvent = z.object({
  id: z.string().describe('"evt_…"'),
  object: z.literal('event'),
  type: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']),
  created_at: z.iso.datetime(),
  data: RunDetail.describe('The run detail; thin payloads (and any over 256 KiB) omit output'),
});
const ErrorBody = z.object({
  error: z.enum(Object.keys(ERROR_CATALOG) as [string, ...string[]]),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
  retry_after_seconds: z.int().optional(),
  request_id: z.string(),
});

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });

/** What any request can meet before its route runs (SPEC §9.4, §9.5): listed on every operation. */
const PROTOCOL_ERRORS = ['request_timeout', 'url_too_long', 'headers_too_large'] as const;

function errors(...codes: (keyof typeof ERROR_CATALOG)[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of [...codes, ...PROTOCOL_ERRORS]) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: list.join(', '), ...json(ref('Error')) },
    ]),
  );
}

const AUTH_ERRORS = ['missing_bearer_token', 'invalid_api_key', 'api_key_expired', 'rate_limited'] as const;
const runIdParam = { name: 'runId', in: 'path', required: true, schema: { type: 'string' } };
const preferParam = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description: '`wait=N` (1–60): hold the request until the run is terminal or N seconds pass',
  schema: { type: 'string', example: 'wait=10' },
};

function queryParameters(query: z.ZodType): object[] {
  const s = schema(query, 'input') as { properties: Record<string, object> };
  return Object.entries(s.properties).map(([name, p]) => ({ name, in: 'query', required: false, schema: p }));
}

const kitCodeParam = { name: 'kit_code', in: 'path', required: true, schema: { type: 'string' } };
const brickKeyParam = { name: 'key', in: 'path', required: true, schema: { type: 'string' } };
const kitVersionIdParam = {
  name: 'kit_version_id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const webhookIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const deliveryHeaders: [string, string][] = [
  ['Semarize-Event-Id', 'evt_…, the same on every attempt and endpoint'],
  ['Semarize-Delivery-Id', 'dlv_…, one per event and endpoint, the same on every attempt'],
  ['Semarize-Timestamp', 'Unix seconds of this attempt'],
  [
    'Semarize-Signature',
    't=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>; two v1 during a rotation',
  ],
  ['webhook-id', 'Standard Webhooks: the delivery id'],
  ['webhook-timestamp', 'Standard Webhooks: unix seconds'],
  ['webhook-signature', 'Standard Webhooks: v1,<base64> over "<id>.<timestamp>.<body>", space-separated'],
];
const WRITE_ERRORS = ['invalid_json', 'invalid_request', 'forbidden', 'unsupported_media_type'] as const;

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Semarize API',
      version: VERSION,
      description:
        'Run Kits of typed, evidence-backed Bricks against conversations. Runs are asynchronous (202, then poll), ' +
        'can wait synchronously with a clean fallback to polling, are idempotent and rate limited. ' +
        'AI agents reach the same Kits and runs as tools at `POST /mcp` (Model Context Protocol over ' +
        'Streamable HTTP, stateless, same bearer keys); it speaks JSON-RPC, so it is not an operation here.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    webhooks: Object.fromEntries(
      [...WEBHOOK_EVENT_TYPES, 'ping'].map((type) => [
        type,
        {
          post: {
            operationId: `event.${type}`,
            summary: `The ${type} event, POSTed to your endpoint`,
            description:
              'Answer any 2xx within 10 s. Anything else is retried with backoff for 3 days; 410 disables ' +
              'the endpoint. Delivery is at least once: deduplicate on Semarize-Event-Id.',
            security: [],
            parameters: deliveryHeaders.map(([name, description]) => ({
              name,
              in: 'header',
              required: true,
              description,
              schema: { type: 'string' },
            })),
            requestBody: { required: true, ...json(ref('WebhookEvent')) },
            responses: { '200': { description: 'Received' } },
          },
        },
      ]),
    ),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'smz_live_… or smz_test_… key' },
      },
      schemas: {
        CreateRunBody: schema(CreateRunBody, 'input'),
        RunDetail: schema(RunDetail),
        RunList: schema(RunList),
        TestResult: schema(TestResult),
        CreateBrickBody: schema(CreateBrickBody, 'input'),
        CreateBrickVersionBody: schema(CreateBrickVersionBody, 'input'),
        Brick: schema(Brick),
        BrickWithVersions: schema(BrickWithVersions),
        BrickList: schema(listOf(Brick)),
        CreateKitBody: schema(CreateKitBody, 'input'),
        CreateKitVersionBody: schema(CreateKitVersionBody, 'input'),
        KitVersion: schema(KitVersion),
        Kit: schema(Kit),
        KitList: schema(listOf(KitSummary)),
        KitSchema: schema(KitSchema),
        CreateKeyBody: schema(CreateKeyBody, 'input'),
        ApiKey: schema(ApiKey),
        ApiKeyWithSecret: schema(ApiKeyWithSecret),
        ApiKeyList: schema(listOf(ApiKey)),
        CreateWebhookBody: schema(CreateWebhookBody, 'input'),
        UpdateWebhookBody: schema(UpdateWebhookBody, 'input'),
        WebhookEndpoint: schema(WebhookEndpoint),
        WebhookEndpointWithSecret: schema(WebhookEndpointWithSecret),
        WebhookEndpointList: schema(listOf(WebhookEndpoint)),
        WebhookDelivery: schema(WebhookDelivery),
        WebhookDeliveryList: schema(
          z.object({
            object: z.literal('list'),
            data: z.array(WebhookDelivery),
            has_more: z.boolean(),
            next_cursor: z.string().nullable().describe('Pass as cursor for the next (older) page'),
          }),
        ),
        WebhookEvent: schema(WebhookEvent),
        Error: schema(ErrorBody),
      },
    },
    paths: {
      '/v1/runs': {
        post: {
          operationId: 'createRun',
          summary: 'Create a run',
          description:
            'Async (default): 202 with the queued run and a Retry-After hint. Sync (`mode: "sync"` or ' +
            '`Prefer: wait=N`): 200 with the terminal run, or 202 with `sync_fallback: true` and `waited_ms`.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Up to 254 printable characters; retries with the same key return the original run',
              schema: { type: 'string', maxLength: 254 },
            },
            preferParam,
          ],
          requestBody: { required: true, ...json(ref('CreateRunBody')) },
          responses: {
            '200': { description: 'Sync run finished (read `status`)', ...json(ref('RunDetail')) },
            '202': { description: 'Run accepted (or sync fallback)', ...json(ref('RunDetail')) },
            ...errors(
              'invalid_json',
              'kit_code_or_kit_version_id_required',
              'input_must_be_object',
              'invalid_run_type',
              'invalid_run_mode',
              'invalid_idempotency_key',
              'invalid_request',
              ...AUTH_ERRORS,
              'kit_not_found',
              'idempotency_key_conflict',
              'payload_too_large',
              'unsupported_media_type',
              'kit_not_published',
              'input_invalid',
              'input_too_large',
              'run_request_failed',
              'unavailable',
            ),
          },
        },
        get: {
          operationId: 'listRuns',
          summary: 'List runs, newest first',
          parameters: queryParameters(ListRunsQuery),
          responses: {
            '200': { description: 'A page of runs', ...json(ref('RunList')) },
            ...errors('invalid_request', ...AUTH_ERRORS),
          },
        },
      },
      '/v1/runs/{runId}': {
        get: {
          operationId: 'getRun',
          summary: 'Get a run (optionally long-polling with Prefer: wait=N)',
          parameters: [runIdParam, preferParam, ...queryParameters(GetRunQuery)],
          responses: {
            '200': { description: 'The run', ...json(ref('RunDetail')) },
            ...errors('run_not_found', 'invalid_request', ...AUTH_ERRORS),
          },
        },
      },
      '/v1/runs/{runId}/cancel': {
        post: {
          operationId: 'cancelRun',
          summary: 'Cancel a queued or running run',
          parameters: [runIdParam],
          responses: {
            '200': { description: 'The cancelled run', ...json(ref('RunDetail')) },
            ...errors('run_not_found', 'run_not_cancellable', ...AUTH_ERRORS),
          },
        },
      },
      '/v1/test': {
        post: {
          operationId: 'testRun',
          summary: 'Check a run request and get placeholder output; nothing is stored',
          description:
            'Takes the body of POST /v1/runs and validates it the same way (Kit, then input). Answers the ' +
            'placeholder output a sandbox run of it would produce; no model is called and no run is created.',
          requestBody: { required: true, ...json(ref('CreateRunBody')) },
          responses: {
            '200': { description: 'Placeholder output of the right shape', ...json(ref('TestResult')) },
            ...errors(
              'invalid_json',
              'kit_code_or_kit_version_id_required',
              'input_must_be_object',
              'invalid_run_type',
              'invalid_run_mode',
              'invalid_request',
              ...AUTH_ERRORS,
              'kit_not_found',
              'unsupported_media_type',
              'kit_not_published',
              'input_invalid',
              'input_too_large',
            ),
          },
        },
      },
      '/v1/bricks': {
        get: {
          operationId: 'listBricks',
          summary: 'List Bricks (the latest version of each, by key)',
          responses: {
            '200': { description: 'Every Brick of the workspace', ...json(ref('BrickList')) },
            ...errors(...AUTH_ERRORS),
          },
        },
        post: {
          operationId: 'createBrick',
          summary: 'Create a Brick (version 1); live admin keys only',
          requestBody: { required: true, ...json(ref('CreateBrickBody')) },
          responses: {
            '201': { description: 'The new Brick', ...json(ref('BrickWithVersions')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'brick_already_exists'),
          },
        },
      },
      '/v1/bricks/{key}': {
        get: {
          operationId: 'getBrick',
          summary: 'Get a Brick: its latest version (or ?version=N) and a summary of every version',
          parameters: [brickKeyParam, ...queryParameters(GetBrickQuery)],
          responses: {
            '200': { description: 'The Brick', ...json(ref('BrickWithVersions')) },
            ...errors('brick_not_found', ...AUTH_ERRORS),
          },
        },
      },
      '/v1/bricks/{key}/versions': {
        post: {
          operationId: 'createBrickVersion',
          summary: 'Create the next version of a Brick; live admin keys only',
          description:
            'Send the whole new definition (`key` may be left out). Earlier versions never change, and ' +
            'Kit versions that pin them keep running them.',
          parameters: [brickKeyParam],
          requestBody: { required: true, ...json(ref('CreateBrickVersionBody')) },
          responses: {
            '201': { description: 'The new version', ...json(ref('BrickWithVersions')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'brick_not_found'),
          },
        },
      },
      '/v1/kits': {
        get: {
          operationId: 'listKits',
          summary: 'List Kits, newest first',
          responses: {
            '200': { description: 'Every Kit of the workspace', ...json(ref('KitList')) },
            ...errors(...AUTH_ERRORS),
          },
        },
        post: {
          operationId: 'createKit',
          summary: 'Create a Kit; its version 1 is a draft. Live admin keys only',
          requestBody: { required: true, ...json(ref('CreateKitBody')) },
          responses: {
            '201': { description: 'The new Kit', ...json(ref('Kit')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'kit_already_exists'),
          },
        },
      },
      '/v1/kits/schema': {
        get: {
          operationId: 'getKitSchema',
          summary: "A Kit version's Bricks and the JSON Schema of its output.bricks",
          parameters: queryParameters(KitSchemaQuery),
          responses: {
            '200': { description: 'The output schema', ...json(ref('KitSchema')) },
            ...errors(
              'kit_code_or_kit_version_id_required',
              'invalid_request',
              ...AUTH_ERRORS,
              'kit_not_found',
              'kit_not_published',
            ),
          },
        },
      },
      '/v1/kits/{kit_code}': {
        get: {
          operationId: 'getKit',
          summary: 'Get a Kit with every version',
          parameters: [kitCodeParam],
          responses: {
            '200': { description: 'The Kit', ...json(ref('Kit')) },
            ...errors('kit_not_found', ...AUTH_ERRORS),
          },
        },
      },
      '/v1/kits/{kit_code}/versions': {
        post: {
          operationId: 'createKitVersion',
          summary: 'Create a new draft version of a Kit; live admin keys only',
          description:
            'Fields left out copy the latest version. `bricks` entries without a version pin the ' +
            "Brick's latest version. Publish the draft to make kit_code run it.",
          parameters: [kitCodeParam],
          requestBody: { required: false, ...json(ref('CreateKitVersionBody')) },
          responses: {
            '201': { description: 'The new draft', ...json(ref('KitVersion')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'kit_not_found'),
          },
        },
      },
      '/v1/kits/{kit_code}/versions/{kit_version_id}/publish': {
        post: {
          operationId: 'publishKitVersion',
          summary: 'Publish a draft version; live admin keys only',
          description:
            'kit_code runs the published version with the highest version number. Publishing a published ' +
            'version returns it unchanged.',
          parameters: [kitCodeParam, kitVersionIdParam],
          responses: {
            '200': { description: 'The published version', ...json(ref('KitVersion')) },
            ...errors('forbidden', ...AUTH_ERRORS, 'kit_not_found'),
          },
        },
      },
      '/v1/webhooks': {
        get: {
          operationId: 'listWebhooks',
          summary: 'List webhook endpoints; admin keys only',
          description: "A key lists only its own mode's endpoints (live or test).",
          responses: {
            '200': {
              description: "Every endpoint of the workspace in the key's mode",
              ...json(ref('WebhookEndpointList')),
            },
            ...errors('forbidden', ...AUTH_ERRORS),
          },
        },
        post: {
          operationId: 'createWebhook',
          summary: 'Create a webhook endpoint; admin keys only',
          description:
            'The URL must be https and resolve to a public address (loopback, private and link-local ' +
            'addresses are refused, here and again at every connection). The signing secret is in this ' +
            'response only. The endpoint takes the mode of the key that creates it: a test key makes ' +
            'a test endpoint, which receives events of sandbox runs only. A workspace has at most 20 ' +
            'endpoints per mode (409 limit_reached).',
          requestBody: { required: true, ...json(ref('CreateWebhookBody')) },
          responses: {
            '201': {
              description: 'The endpoint, with its secret',
              ...json(ref('WebhookEndpointWithSecret')),
            },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'limit_reached'),
          },
        },
      },
      '/v1/webhooks/{id}': {
        get: {
          operationId: 'getWebhook',
          summary: 'Get a webhook endpoint',
          parameters: [webhookIdParam],
          responses: {
            '200': { description: 'The endpoint', ...json(ref('WebhookEndpoint')) },
            ...errors('forbidden', ...AUTH_ERRORS, 'webhook_not_found'),
          },
        },
        patch: {
          operationId: 'updateWebhook',
          summary: 'Change an endpoint; `enabled: true` re-enables one the server disabled',
          parameters: [webhookIdParam],
          requestBody: { required: true, ...json(ref('UpdateWebhookBody')) },
          responses: {
            '200': { description: 'The endpoint', ...json(ref('WebhookEndpoint')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS, 'webhook_not_found'),
          },
        },
        delete: {
          operationId: 'deleteWebhook',
          summary: 'Delete an endpoint; its undelivered events are dropped',
          parameters: [webhookIdParam],
          responses: {
            '200': { description: 'Deleted' },
            ...errors('forbidden', ...AUTH_ERRORS, 'webhook_not_found'),
          },
        },
      },
      '/v1/webhooks/{id}/rotate-secret': {
        post: {
          operationId: 'rotateWebhookSecret',
          summary: 'A new signing secret; the old one keeps signing beside it for 24 h',
          parameters: [webhookIdParam],
          responses: {
            '200': {
              description: 'The endpoint, with its new secret',
              ...json(ref('WebhookEndpointWithSecret')),
            },
            ...errors('forbidden', ...AUTH_ERRORS, 'webhook_not_found'),
          },
        },
      },
      '/v1/webhooks/{id}/test': {
        post: {
          operationId: 'testWebhook',
          summary: 'Send a signed `ping` event to the endpoint',
          parameters: [webhookIdParam],
          responses: {
            '202': { description: 'The queued delivery', ...json(ref('WebhookDelivery')) },
            ...errors('forbidden', ...AUTH_ERRORS, 'webhook_not_found', 'webhook_endpoint_disabled'),
          },
        },
      },
      '/v1/webhooks/{id}/deliveries': {
        get: {
          operationId: 'listWebhookDeliveries',
          summary: 'Deliveries to an endpoint, newest first, with every attempt',
          parameters: [webhookIdParam, ...queryParameters(ListDeliveriesQuery)],
          responses: {
            '200': { description: 'A page of deliveries', ...json(ref('WebhookDeliveryList')) },
            ...errors('invalid_request', 'forbidden', ...AUTH_ERRORS, 'webhook_not_found'),
          },
        },
      },
      '/v1/webhook-deliveries/{id}/redeliver': {
        post: {
          operationId: 'redeliverWebhook',
          summary: 'Send a delivery again now, with the same event and delivery ids',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '202': { description: 'The delivery, due now', ...json(ref('WebhookDelivery')) },
            ...errors('forbidden', ...AUTH_ERRORS, 'delivery_not_found', 'webhook_endpoint_disabled'),
          },
        },
      },
      '/v1/keys': {
        get: {
          operationId: 'listKeys',
          summary: "List the workspace's API keys (live and test); admin live keys only",
          responses: {
            '200': { description: 'Every key, oldest first, without secrets', ...json(ref('ApiKeyList')) },
            ...errors('forbidden', ...AUTH_ERRORS),
          },
        },
        post: {
          operationId: 'createKey',
          summary: 'Create an API key; admin live keys only',
          description: 'The secret is in this response only; the server keeps its hash.',
          requestBody: { required: true, ...json(ref('CreateKeyBody')) },
          responses: {
            '201': { description: 'The key, with its secret', ...json(ref('ApiKeyWithSecret')) },
            ...errors(...WRITE_ERRORS, ...AUTH_ERRORS),
          },
        },
      },
      '/v1/keys/{id}/revoke': {
        post: {
          operationId: 'revokeKey',
          summary: 'Revoke an API key at once; admin live keys only',
          description:
            'Requests and console sessions with the key fail from now on. Revoking a revoked key ' +
            "returns it unchanged. The workspace's last live admin key cannot be revoked (409).",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The revoked key', ...json(ref('ApiKey')) },
            ...errors('forbidden', ...AUTH_ERRORS, 'api_key_not_found', 'last_admin_key'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          security: [],
          responses: { '200': { description: 'Up' } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: first-start setup done, storage reachable, not shutting down',
          security: [],
          responses: { '200': { description: 'Ready' }, ...errors('unavailable') },
        },
      },
    },
  };
}
