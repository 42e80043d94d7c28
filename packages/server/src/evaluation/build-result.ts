import type { BrickDefinition } from '../kits/brick.ts';
import type { BrickResult, EvidenceSpan } from './brick-result.ts';
import type { Conversation } from './conversation.ts';

export interface ResultParts {
  value: unknown;
  /** 0–1; reported as null when the Brick has `confidence: none`. */
  confidence: number;
  reason: string;
  /** Spans into turn texts; the evidence strings are cut from the conversation with them. */
  spans?: readonly EvidenceSpan[];
  details?: Record<string, unknown>;
}

/**
 * Assembles a BrickResult that honours the Brick's evidence and confidence settings. Evidence
 * strings are always sliced from the turns, so they are exact substrings by construction.
 */
export function buildResult(
  brick: BrickDefinition,
  conversation: Conversation,
  parts: ResultParts,
): BrickResult {
  const spans = brick.evidence === 'none' ? [] : [...(parts.spans ?? [])];
  const result: BrickResult = {
    value: parts.value,
    confidence: brick.confidence === 'none' ? null : Math.min(1, Math.max(0, parts.confidence)),
    reason: parts.reason,
    evidence: spans.map((span) => conversation.turns[span.turn]?.text.slice(span.start, span.end) ?? ''),
    evidence_spans: spans.map((span) => ({
      ...span,
      speaker: conversation.turns[span.turn]?.speaker ?? null,
    })),
    brick_version: brick.version,
  };
  if (parts.details !== undefined) result.details = parts.details;
  return result;
}

/**
 * A result with no value: the conversation gives no basis for it. A `string_list` Brick gets an
 * empty list rather than null, since its value is a list in the output schema (SPEC §6.1).
 */
export function noValueResult(
  brick: BrickDefinition,
  conversation: Conversation,
  reason: string,
  details?: Record<string, unknown>,
): BrickResult {
  const value = brick.output.type === 'string_list' ? [] : null;
  return buildResult(
    brick,
    conversation,
    details === undefined ? { value, confidence: 0, reason } : { value, confidence: 0, reason, details },
  );
}
