import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../errors/api-error.ts';
import type { RunErrorCode } from '../errors/run-failure.ts';
import { OutputSpec } from '../kits/brick.ts';
import { BrickFields } from '../kits/kit-request-schemas.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/records.ts';

/**
 * The shapes of the API's answers: documented in the OpenAPI description, and the output schemas
 * of the MCP tools that return the same views.
 */
export const Usage = z.object({
  input_tokens: z.int(),
  output_tokens: z.int(),
  model_calls: z.int(),
  cached_input_tokens: z
    .int()
    .optional()
    .describe('Input tokens read from the provider prompt cache; present when the provider reports it'),
});
export const BrickResult = z
  .object({
    value: z.unknown().describe('Typed by the Brick output type; null when the conversation gives no basis'),
    confidence: z.number().min(0).max(1).nullable(),
    reason: z.string(),
    evidence: z.array(z.string()).describe('Exact quotes of the normalised conversation'),
    evidence_spans: z.array(
      z.object({
        turn: z.int().describe('The turn the quote was found in (the one the model named, if it is there)'),
        start: z.int(),
        end: z.int(),
        speaker: z.string().nullable(),
        approximate: z
          .literal(true)
          .optional()
          .describe('A near-verbatim quote: the evidence is the real text of this span'),
        similarity: z.number().optional().describe('Token similarity of an approximate quote, ≥ 0.9'),
      }),
    ),
    brick_version: z.int(),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe('This Brick could not be judged (its value is null); the run still succeeded'),
  })
  .loose();
const Side = z.enum(['company', 'customer']).nullable();
const ConversationView = z.object({
  source: z.enum(['call', 'email', 'chat', 'note']),
  format: z.enum(['turns', 'messages', 'speaker_lines', 'webvtt', 'srt', 'two_line', 'plain']),
  participants: z.array(z.object({ name: z.string(), side: Side, role: z.string().nullable() })),
  turns: z.array(
    z.object({
      index: z.int().describe('What evidence_spans[].turn points at'),
      input_index: z
        .int()
        .describe("Where the turn came from: the caller's array position, or the line of the text"),
      speaker: z.string().nullable(),
      side: Side,
      text: z.string().describe('NFKC, whitespace collapsed: what quotes and offsets are in'),
      start_ms: z.number().nullable(),
      end_ms: z.number().nullable(),
      sent_at: z.string().optional(),
      subject: z.string().optional(),
    }),
  ),
  input_quality: z.object({
    speakers_known: z.number().describe('Share of turns with a speaker'),
    timed: z.number().describe('Share of turns with start_ms and end_ms'),
    format: z.string(),
    warnings: z
      .array(z.string())
      .describe('Guesses the reader made: no_speakers, no_timings, inline_speaker_splits, …'),
  }),
});
/** Why a run failed or was cancelled (SPEC §3.6): every `RunErrorCode`, checked below. */
export const RUN_ERROR_CODES = [
  'model_not_configured',
  'model_error',
  'model_timeout',
  'model_rate_limited',
  'model_refused',
  'output_invalid',
  'input_too_large',
  'execution_timeout',
  'worker_lost',
  'cancelled',
  'internal_error',
] as const satisfies readonly RunErrorCode[];
// Fails to compile when RunErrorCode gains a code the list does not have.
const _everyRunErrorCode: readonly (typeof RUN_ERROR_CODES)[number][] = [] as RunErrorCode[];

export const RunDetail = z.object({
  run_id: z.string().describe('"run_" + ULID'),
  object: z.literal('run'),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  run_type: z.enum(['api', 'sandbox']),
  mode: z.enum(['async', 'sync']),
  kit_code: z.string(),
  kit_version_id: z.uuid(),
  created_at: z.iso.datetime(),
  started_at: z.iso.datetime().nullable(),
  completed_at: z.iso.datetime().nullable(),
  duration_ms: z.int().nullable(),
  attempt: z.int(),
  output: z
    .object({
      kit_code: z.string(),
      kit_version_id: z.uuid(),
      bricks: z.record(z.string(), BrickResult),
      incomplete_bricks: z
        .array(z.string())
        .optional()
        .describe('Keys of the Bricks that could not be judged (each has an error); absent when none'),
      reused_from: z
        .string()
        .optional()
        .describe(
          'The earlier identical run whose output this is (Kit model.reuse): no model was called; absent otherwise',
        ),
    })
    .optional()
    .describe('Present only when succeeded'),
  error_code: z.enum(RUN_ERROR_CODES).optional().describe('Set when failed or cancelled'),
  error_message: z.string().optional(),
  error_user_message: z.string().optional().describe('Safe to show an end user'),
  usage: Usage,
  metadata: z.unknown().optional().describe('Echo of input.metadata'),
  sync_fallback: z.boolean().optional().describe('Sync request that ran out of time: keep polling'),
  waited_ms: z.int().optional(),
  input: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .describe('With include=input: the input as it was sent; null once retention purged it'),
  conversation: ConversationView.nullable()
    .optional()
    .describe('With include=conversation: the normalised conversation; null once retention purged the input'),
});
export const RunList = z.object({
  object: z.literal('list'),
  data: z.array(RunDetail),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
export const RunOutput = z.object({
  kit_code: z.string(),
  kit_version_id: z.uuid(),
  bricks: z.record(z.string(), BrickResult),
});
export const TestResult = z.object({
  object: z.literal('test_result'),
  kit_code: z.string(),
  kit_version_id: z.uuid(),
  output: RunOutput.describe('Placeholder output, as a sandbox run of this request would produce'),
});
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean().describe('Always false: every item is in one page'),
    next_cursor: z.string().nullable(),
  });
// A Brick as shown: its definition (the create body with defaults applied) plus version and time.
export const Brick = BrickFields.extend({
  object: z.literal('brick'),
  // Any engine the server runs: Kit files and tests may use more than the API offers for new Bricks.
  engine: z.string(),
  version: z.int().min(1),
  created_at: z.iso.datetime(),
});
export const BrickWithVersions = Brick.extend({
  versions: z
    .array(z.object({ version: z.int(), name: z.string(), created_at: z.iso.datetime() }))
    .describe('Every version of this Brick, newest first'),
});
export const KitVersionSummary = z.object({
  kit_version_id: z.uuid(),
  version: z.int().min(1),
  status: z.enum(['draft', 'published']),
  created_at: z.iso.datetime(),
  published_at: z.iso.datetime().nullable(),
});
export const KitVersion = KitVersionSummary.extend({
  object: z.literal('kit_version'),
  kit_code: z.string(),
  name: z.string(),
  description: z.string(),
  model: z.object({
    provider: z.string().optional(),
    model: z.string().optional(),
    fail_on_brick_error: z.boolean().optional(),
    temperature: z.number().optional(),
    samples: z.int().optional().describe('Times the Bricks are judged (self-consistency); unset is 1'),
    reuse: z.boolean().optional().describe('Identical runs reuse an earlier output'),
  }),
  bricks: z
    .array(
      z.object({
        key: z.string(),
        version: z.int(),
        name: z.string(),
        engine: z.string(),
        output: OutputSpec,
      }),
    )
    .describe('The Brick versions this Kit version pins, in output order'),
});
export const KitSummary = z.object({
  object: z.literal('kit'),
  kit_code: z.string(),
  name: z.string().describe('Of the latest version'),
  description: z.string().describe('Of the latest version'),
  created_at: z.iso.datetime(),
  latest_version: KitVersionSummary,
  published_version: KitVersionSummary.nullable().describe('What kit_code runs; null until one is published'),
});
export const Kit = KitSummary.extend({ versions: z.array(KitVersion).describe('Newest first') });
export const KitSchema = z.object({
  object: z.literal('kit_schema'),
  kit_code: z.string(),
  kit_version_id: z.uuid(),
  bricks: z.array(
    z.object({
      key: z.string(),
      version: z.int(),
      name: z.string(),
      output: OutputSpec,
      evidence: z.enum(['required', 'optional', 'none']),
      confidence: z.enum(['required', 'none']),
    }),
  ),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema (2020-12) of output.bricks'),
});

// A page of a list; the item schema is its own component, so list schemas refer to it.
const page = <T extends z.ZodType>(item: T, nextCursor = 'Pass as cursor for the next (older) page') =>
  z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z.string().nullable().describe(nextCursor),
  });

export const WebhookEndpoint = z.object({
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
export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe('whsec_ + base64 of 32 bytes. Shown only here: store it now'),
});
export const DeletedWebhookEndpoint = z.object({
  id: z.string(),
  object: z.literal('webhook_endpoint'),
  deleted: z.literal(true),
});
export const ApiKey = z.object({
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
export const ApiKeyWithSecret = ApiKey.extend({
  secret: z.string().describe('smz_live_… or smz_test_…. Shown only here: store it now'),
});
export const WebhookDelivery = z.object({
  id: z.string().describe('"dlv_…": the same on every attempt (the webhook-id header)'),
  object: z.literal('webhook_delivery'),
  webhook_id: z.string(),
  event_id: z.string().describe('"evt_…": the same for every endpoint and attempt'),
  event_type: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']),
  run_id: z.string().nullable().describe('Null for a ping'),
  status: z.enum(['pending', 'delivering', 'succeeded', 'failed']),
  attempts: z.int(),
  last_status_code: z.int().nullable(),
  last_latency_ms: z.int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
  attempt_log: z
    .array(
      z.object({
        attempt: z.int(),
        started_at: z.iso.datetime(),
        status_code: z.int().nullable(),
        latency_ms: z.int(),
        response_snippet: z.string().nullable().describe('The first 1 KiB of the response body'),
        error: z.string().nullable(),
      }),
    )
    .describe('Every attempt in the deliveries list; empty in the answers of test and redeliver'),
});
export const RunEvent = z.object({
  id: z.string().describe('"evt_…": the same on every attempt and endpoint; deduplicate on it'),
  object: z.literal('event'),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  created_at: z.iso.datetime(),
  data: RunDetail.describe('The run detail; thin payloads (and any over 256 KiB) omit output'),
});
export const PingEvent = z.object({
  id: z.string().describe('"evt_…"'),
  object: z.literal('event'),
  type: z.literal('ping'),
  created_at: z.iso.datetime(),
  data: z.object({
    webhook_id: z.string().describe('The endpoint the ping was sent to'),
    message: z.string(),
  }),
});
export const ErrorBody = z.object({
  error: z.enum(Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]]).describe('Stable: branch on it'),
  message: z.string().describe('For developers; may change'),
  detail: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Machine-readable specifics: fields, reason, limits'),
  retry_after_seconds: z.int().optional().describe('Also the Retry-After header'),
  request_id: z.string().describe('Also the X-Request-Id header'),
});
export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({ status: z.literal('ready'), store: z.enum(['sqlite', 'postgres']) });
export const BrickList = listOf(Brick);
export const KitList = listOf(KitSummary);
export const ApiKeyList = listOf(ApiKey);
export const WebhookEndpointList = listOf(WebhookEndpoint);
export const WebhookDeliveryList = page(WebhookDelivery);
