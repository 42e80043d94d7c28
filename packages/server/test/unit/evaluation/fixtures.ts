import { normaliseInput } from '../../../src/conversation/normalise-input.ts';
import type { Conversation } from '../../../src/evaluation/conversation.ts';
import { BrickDefinition } from '../../../src/kits/brick.ts';

/** A Brick as a Kit file would define it, parsed so every default applies. */
export function brickOf(definition: Record<string, unknown>): BrickDefinition {
  return BrickDefinition.parse({
    key: 'test_brick',
    name: 'Test brick',
    output: { type: 'number' },
    ...definition,
  });
}

/** `[speaker, text, start_ms?, end_ms?]` turns through the real normalisation. */
export function conversationOf(
  turns: readonly (readonly [string, string, number?, number?])[],
  source?: string,
): Conversation {
  const transcript = turns.map(([speaker, text, start_ms, end_ms]) => ({ speaker, text, start_ms, end_ms }));
  return normaliseInput(source === undefined ? { transcript } : { transcript, source }).conversation;
}

/** Each evidence string is exactly the text its span points at. */
export function quotedText(
  conversation: Conversation,
  span: { turn: number; start: number; end: number },
): string {
  return conversation.turns[span.turn]?.text.slice(span.start, span.end) ?? '<no such turn>';
}

export const neverAborted = new AbortController().signal;
