import { parsePreparedInput } from '../evaluation/prepare-input.ts';

/**
 * The normalised conversation as the API shows it (`include=conversation`, docs/signals.md §1):
 * turns without the internal offsets into the canonical text.
 */
export function conversationView(preparedJson: string | null) {
  if (preparedJson === null) return null;
  const { conversation } = parsePreparedInput(preparedJson);
  return {
    source: conversation.source,
    format: conversation.format,
    participants: conversation.participants,
    turns: conversation.turns.map(({ start: _start, end: _end, ...turn }) => turn),
    input_quality: conversation.input_quality,
  };
}
