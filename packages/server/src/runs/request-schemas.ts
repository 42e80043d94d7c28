import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';
import { invalidRequest } from '../errors/invalid-request.ts';

/** Body of POST /v1/runs and POST /v1/test. Also the source of their OpenAPI schema. */
export const CreateRunBody = z
  .object({
    kit_code: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('8-character Kit code: runs its latest published version'),
    kit_version_id: z.uuid().optional().describe('A Kit version (drafts included); wins over kit_code'),
    input: z
      .record(z.string(), z.unknown())
      .describe('The conversation (transcript or messages) plus any context fields'),
    type: z.enum(['api', 'sandbox']).default('api').describe('sandbox runs never call a model'),
    mode: z.enum(['async', 'sync']).default('async').describe('sync waits for the result (see Prefer: wait)'),
  })
  .strict();
export type CreateRunBody = z.infer<typeof CreateRunBody>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a create body, answering the specific SPEC §2 code for each kind of mistake before
 * falling back to `invalid_request` for anything else.
 */
export function parseCreateRunBody(body: unknown): CreateRunBody {
  if (!isPlainObject(body)) throw new ApiError('invalid_json');
  if (body['kit_code'] == null && body['kit_version_id'] == null) {
    throw new ApiError('kit_code_or_kit_version_id_required');
  }
  if (!isPlainObject(body['input'])) throw new ApiError('input_must_be_object');
  if (body['type'] !== undefined && body['type'] !== 'api' && body['type'] !== 'sandbox') {
    throw new ApiError('invalid_run_type', { detail: { received: body['type'] ?? null } });
  }
  if (body['mode'] !== undefined && body['mode'] !== 'async' && body['mode'] !== 'sync') {
    throw new ApiError('invalid_run_mode', { detail: { received: body['mode'] ?? null } });
  }
  const result = CreateRunBody.safeParse(body);
  if (!result.success) throw invalidRequest(result.error);
  return { ...result.data, kit_code: result.data.kit_code?.toUpperCase() };
}

/** Query of GET /v1/runs. */
export const ListRunsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
    kit_code: z.string().min(1).max(64).optional(),
    run_type: z.enum(['api', 'sandbox']).optional(),
    created_after: z.iso.datetime({ offset: true }).optional(),
    created_before: z.iso.datetime({ offset: true }).optional(),
    include: z
      .string()
      .regex(/^(?:output|conversation)(?:,(?:output|conversation))?$/, 'output, conversation, or both')
      .optional()
      .describe('output, conversation, or both (comma-separated): add them to each run'),
  })
  .strict();
export type ListRunsQuery = z.infer<typeof ListRunsQuery>;

/**
 * Query of GET /v1/runs/{id}: `include=conversation` adds the normalised conversation, `input` the
 * input as it was sent (to run it again).
 */
export const GetRunQuery = z.object({
  include: z
    .enum(['conversation', 'input', 'output'])
    .optional()
    .describe(
      'conversation: add the normalised conversation (turns, sides, timings, input_quality); input: add the input as it was sent; output is always there',
    ),
});
export type GetRunQuery = z.infer<typeof GetRunQuery>;

/** `Idempotency-Key`: 1–254 printable ASCII characters; a structured-field quoted string is unwrapped. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw))
    throw new ApiError('invalid_idempotency_key', { message: 'Send one Idempotency-Key header.' });
  const key = /^".*"$/.test(raw) && raw.length >= 2 ? raw.slice(1, -1) : raw;
  if (key.length === 0 || key.length > 254 || !/^[\x20-\x7e]+$/.test(key))
    throw new ApiError('invalid_idempotency_key');
  return key;
}

/** `Prefer: wait=N` (RFC 7240 / Replicate): N seconds, clamped to 1–60; other preferences are ignored. */
export function parsePreferWait(raw: string | string[] | undefined): number | null {
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const value of values) {
    for (const preference of value.split(',')) {
      const match = /^\s*wait\s*=\s*"?(\d+)"?\s*(;.*)?$/i.exec(preference);
      if (match) return Math.min(60, Math.max(1, Number(match[1])));
    }
  }
  return null;
}
