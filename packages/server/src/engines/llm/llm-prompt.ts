import { z } from 'zod';
import type { Conversation } from '../../evaluation/conversation.ts';
import type { BrickDefinition, OutputSpec } from '../../kits/brick.ts';
import { valueSchema } from '../../kits/output-schema.ts';

export const SYSTEM_PROMPT = `You are a meticulous conversation analyst. You judge one conversation against a set of Bricks: precise questions, each with a rubric and a typed answer.
Rules:
- Judge only from the conversation and the context given. Never invent facts.
- When the conversation gives no basis for an answer, answer null (an empty list for list answers) and say why in reason.
- evidence: quotes copied character for character from the conversation (a sentence or clause each, without the speaker label) that support the answer. Never paraphrase or merge turns. Quote nothing when nothing supports the answer.
- confidence: a number from 0 to 1, how likely it is that the value is right.
- reason: one or two plain sentences that a sales leader can read.
Answer with one JSON object that has one property per Brick key, following the schema exactly.`;

function describeOutput(output: OutputSpec): string {
  switch (output.type) {
    case 'boolean':
      return 'true or false, or null';
    case 'score': {
      const anchors = Object.entries(output.anchors ?? {})
        .map(([at, meaning]) => `${at} = ${meaning}`)
        .join('; ');
      return `a score from ${output.min} to ${output.max}, or null${anchors ? `. Anchors: ${anchors}` : ''}`;
    }
    case 'number':
      return `a number${output.min !== undefined ? ` ≥ ${output.min}` : ''}${output.max !== undefined ? ` ≤ ${output.max}` : ''}${output.unit ? ` (${output.unit})` : ''}, or null`;
    case 'category':
      return `exactly one of: ${output.options.map((o) => JSON.stringify(o)).join(', ')}; or null`;
    case 'string_list':
      return `a list of at most ${output.max_items} short strings (empty when none)`;
    case 'text':
      return `text of at most ${output.max_chars} characters, or null`;
  }
}

function describeBrick(brick: BrickDefinition): string {
  const evidence =
    brick.evidence === 'required'
      ? 'Evidence: required — quote what supports the answer.'
      : brick.evidence === 'none'
        ? 'Evidence: not needed (return an empty list).'
        : 'Evidence: quote what supports the answer, if anything.';
  return [
    `### ${brick.key}`,
    `Question: ${brick.name}`,
    brick.description ? `Rubric: ${brick.description}` : '',
    `Answer: ${describeOutput(brick.output)}`,
    evidence,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The user message: context, the conversation (once), then every Brick to judge. */
export function buildPrompt(
  bricks: readonly BrickDefinition[],
  conversation: Conversation,
  context: Record<string, unknown>,
  correction?: string,
): string {
  // The canonical text (`Speaker: text` lines): evidence is matched by quote, so turns need no numbers.
  const turns = conversation.text;
  const sections = [
    Object.keys(context).length ? `## Context\n${JSON.stringify(context, null, 2)}` : '',
    `## Conversation (${conversation.source}, ${conversation.turns.length} turns)\n${turns}`,
    `## Bricks\n${bricks.map(describeBrick).join('\n\n')}`,
    correction ? `## Correction\n${correction}` : '',
  ];
  return sections.filter(Boolean).join('\n\n');
}

// Brick definitions are immutable versions (the executor keeps each Kit version's objects), so the
// schemas built from them are kept with them: building them was a visible share of each model call.
const answerSchemas = new WeakMap<BrickDefinition, ReturnType<typeof buildAnswerSchema>>();
const batchSchemas = new WeakMap<BrickDefinition, Map<string, Record<string, unknown>>>();

function buildAnswerSchema(brick: BrickDefinition) {
  return z.object({
    value: valueSchema(brick.output),
    confidence: z.number().min(0).max(1),
    reason: z.string().min(1),
    evidence: z.array(z.string()),
  });
}

/** One Brick's answer as the model gives it (before evidence is checked). */
export function answerSchema(brick: BrickDefinition) {
  let schema = answerSchemas.get(brick);
  if (!schema) {
    schema = buildAnswerSchema(brick);
    answerSchemas.set(brick, schema);
  }
  return schema;
}

/** The JSON Schema sent as structured output: one answer object per Brick key. */
export function batchJsonSchema(bricks: readonly BrickDefinition[]): Record<string, unknown> {
  // Kept with the group's first Brick, by the keys of the group (a Kit's batch, or one Brick re-asked).
  const first = bricks[0];
  const groupKey = bricks.map((b) => b.key).join('\n');
  const kept = first ? batchSchemas.get(first)?.get(groupKey) : undefined;
  if (kept) return kept;
  const schema = z.object(Object.fromEntries(bricks.map((b) => [b.key, answerSchema(b).strict()]))).strict();
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  if (first) {
    const byGroup = batchSchemas.get(first) ?? new Map<string, Record<string, unknown>>();
    byGroup.set(groupKey, rest);
    batchSchemas.set(first, byGroup);
  }
  return rest;
}
