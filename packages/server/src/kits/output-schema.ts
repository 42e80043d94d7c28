import { z } from 'zod';
import type { BrickDefinition, OutputSpec } from './brick.ts';

/** The zod schema of a Brick's `value` (SPEC §6.1): what a model must answer and what a result holds. */
export function valueSchema(output: OutputSpec): z.ZodType {
  switch (output.type) {
    case 'boolean':
      return z.boolean().nullable();
    case 'score':
      return z.number().min(output.min).max(output.max).nullable();
    case 'number': {
      let n = z.number();
      if (output.min !== undefined) n = n.min(output.min);
      if (output.max !== undefined) n = n.max(output.max);
      return n.nullable();
    }
    case 'category':
      return z.enum(output.options as [string, ...string[]]).nullable();
    case 'string_list':
      return z.array(z.string()).max(output.max_items);
    case 'text':
      return z.string().max(output.max_chars).nullable();
  }
}

const EvidenceSpan = z.object({
  turn: z.int().min(0),
  start: z.int().min(0),
  end: z.int().min(0),
  speaker: z.string().nullable().describe('Who said it; null when the input names no speaker'),
  approximate: z.literal(true).optional().describe('A near-verbatim quote; the evidence is the real text'),
  similarity: z.number().optional().describe('Token similarity of an approximate quote'),
});

/** The schema of one Brick's result in `output.bricks`. */
export function brickResultSchema(brick: BrickDefinition): z.ZodType {
  return z
    .object({
      value: valueSchema(brick.output),
      confidence: brick.confidence === 'none' ? z.null() : z.number().min(0).max(1).nullable(),
      reason: z.string(),
      evidence: z.array(z.string()).describe('Exact quotes of the normalised conversation'),
      evidence_spans: z.array(EvidenceSpan),
      brick_version: z.literal(brick.version),
      details: z.record(z.string(), z.unknown()).optional(),
      error: z
        .object({ code: z.string(), message: z.string() })
        .optional()
        .describe('Set when this Brick could not be judged; its value is then null'),
    })
    .describe(`${brick.name}${brick.description ? `: ${brick.description}` : ''}`);
}

/** The schema of `output.bricks` for a Kit version: one property per Brick key. */
export function kitOutputSchema(bricks: readonly BrickDefinition[]): z.ZodType {
  return z.object(Object.fromEntries(bricks.map((b) => [b.key, brickResultSchema(b)])));
}

/** JSON Schema (2020-12) of `output.bricks`, for `GET /v1/kits/schema` and client code generation. */
export function kitOutputJsonSchema(bricks: readonly BrickDefinition[]): Record<string, unknown> {
  return z.toJSONSchema(kitOutputSchema(bricks), { unrepresentable: 'any' }) as Record<string, unknown>;
}
