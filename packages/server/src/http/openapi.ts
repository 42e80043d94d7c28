import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CreateRunBody, ListRunsQuery } from '../runs/request-schemas.ts';
import { ERROR_CATALOG } from './api-error.ts';

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;

/** Response shapes, for documentation; requests are documented from the schemas that validate them. */
const Usage = z.object({ input_tokens: z.int(), output_tokens: z.int(), model_calls: z.int() });
const BrickResult = z
  .object({
    value: z.unknown().describe('Typed by the Brick output type; null when the conversation gives no basis'),
    confidence: z.number().min(0).max(1).nullable(),
    reason: z.string(),
    evidence: z.array(z.string()).describe('Exact quotes of the normalised conversation'),
    evidence_spans: z.array(z.object({ turn: z.int(), start: z.int(), end: z.int() })),
    brick_version: z.int(),
  })
  .loose();
const RunDetail = z.object({
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
    .object({ kit_code: z.string(), kit_version_id: z.uuid(), bricks: z.record(z.string(), BrickResult) })
    .optional()
    .describe('Present only when succeeded'),
  error_code: z.string().optional(),
  error_message: z.string().optional(),
  error_user_message: z.string().optional().describe('Safe to show an end user'),
  usage: Usage,
  metadata: z.unknown().optional().describe('Echo of input.metadata'),
  sync_fallback: z.boolean().optional().describe('Sync request that ran out of time: keep polling'),
  waited_ms: z.int().optional(),
});
const RunList = z.object({
  object: z.literal('list'),
  data: z.array(RunDetail),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
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

function errors(...codes: (keyof typeof ERROR_CATALOG)[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
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

function queryParameters(): object[] {
  const s = schema(ListRunsQuery, 'input') as { properties: Record<string, object> };
  return Object.entries(s.properties).map(([name, p]) => ({ name, in: 'query', required: false, schema: p }));
}

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Semarize API',
      version: VERSION,
      description:
        'Run Kits of typed, evidence-backed Bricks against conversations. Runs are asynchronous (202, then poll), ' +
        'can wait synchronously with a clean fallback to polling, are idempotent and rate limited.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'smz_live_… or smz_test_… key' },
      },
      schemas: {
        CreateRunBody: schema(CreateRunBody, 'input'),
        RunDetail: schema(RunDetail),
        RunList: schema(RunList),
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
              'run_request_failed',
              'unavailable',
            ),
          },
        },
        get: {
          operationId: 'listRuns',
          summary: 'List runs, newest first',
          parameters: queryParameters(),
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
          parameters: [runIdParam, preferParam],
          responses: {
            '200': { description: 'The run', ...json(ref('RunDetail')) },
            ...errors('run_not_found', ...AUTH_ERRORS),
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
          summary: 'Readiness: storage reachable',
          security: [],
          responses: { '200': { description: 'Ready' }, ...errors('unavailable') },
        },
      },
    },
  };
}
