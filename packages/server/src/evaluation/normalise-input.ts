import { SOURCES, type Source } from '../kits/brick.ts';
import type { Conversation, Turn } from './conversation.ts';
import { parseTranscriptText, type RawTurn } from './parse-transcript-text.ts';
import { InputInvalid } from './run-failure.ts';

export interface NormalisedInput {
  conversation: Conversation;
  /** Every input field except `transcript` and `messages`; passed to the evaluators as is. */
  context: Record<string, unknown>;
}

const UNKNOWN_SPEAKER = 'Unknown';

/**
 * Turns any accepted input shape (SPEC §3.1) into the one canonical conversation: numbered turns
 * with whitespace collapsed, rendered as `speaker: text` lines, each turn knowing its offsets.
 * Throws InputInvalid with a reason a client can act on.
 */
export function normaliseInput(input: Record<string, unknown>): NormalisedInput {
  if (!isRecord(input)) throw new InputInvalid('invalid_input', 'input must be an object');
  const { transcript, messages, ...context } = input;
  const hasTranscript = transcript !== undefined && transcript !== null;
  const hasMessages = messages !== undefined && messages !== null;
  if (hasTranscript && hasMessages) {
    throw new InputInvalid(
      'both_transcript_and_messages',
      'input has both transcript and messages; send one conversation per run',
    );
  }
  if (!hasTranscript && !hasMessages) {
    throw new InputInvalid(
      'missing_conversation',
      'input needs a transcript (string or array of turns) or messages (array)',
    );
  }
  const rawTurns = hasTranscript ? readTranscript(transcript) : readMessages(messages);
  const turns = toTurns(rawTurns);
  if (turns.length === 0) {
    throw new InputInvalid(
      'empty_conversation',
      `input.${hasTranscript ? 'transcript' : 'messages'} has no text`,
    );
  }
  const source = chooseSource(input.source, hasTranscript, messages);
  return { conversation: { source, text: conversationText(turns), turns }, context };
}

function readTranscript(transcript: unknown): RawTurn[] {
  if (typeof transcript === 'string') return parseTranscriptText(transcript);
  if (!Array.isArray(transcript)) {
    throw new InputInvalid(
      'invalid_transcript',
      'input.transcript must be a string of "Speaker: text" lines or an array of {speaker, text} turns',
    );
  }
  return transcript.map((item: unknown, i) => {
    const path = `input.transcript[${i}]`;
    const fail = (message: string) => new InputInvalid('invalid_transcript', `${path}${message}`);
    if (!isRecord(item)) throw fail(' must be an object with a text field');
    if (typeof item.text !== 'string') throw fail('.text must be a string');
    const turn: RawTurn = {
      speaker: optionalString(item.speaker, () => fail('.speaker must be a string')),
      text: item.text,
    };
    const startMs = optionalMilliseconds(item.start_ms, () =>
      fail('.start_ms must be a number of milliseconds ≥ 0'),
    );
    const endMs = optionalMilliseconds(item.end_ms, () =>
      fail('.end_ms must be a number of milliseconds ≥ 0'),
    );
    if (startMs !== undefined && endMs !== undefined && endMs < startMs)
      throw fail('.end_ms must not be before start_ms');
    if (startMs !== undefined) turn.start_ms = startMs;
    if (endMs !== undefined) turn.end_ms = endMs;
    return turn;
  });
}

function readMessages(messages: unknown): RawTurn[] {
  if (!Array.isArray(messages)) {
    throw new InputInvalid('invalid_messages', 'input.messages must be an array of {from, text} messages');
  }
  return messages.map((item: unknown, i) => {
    const path = `input.messages[${i}]`;
    const fail = (message: string) => new InputInvalid('invalid_messages', `${path}${message}`);
    if (!isRecord(item)) throw fail(' must be an object with a text (or body) field');
    // `text` wins over `body`, and `from` over `speaker`, when a message carries both.
    const textField = item.text !== undefined ? 'text' : 'body';
    const text = item[textField];
    if (typeof text !== 'string') {
      throw fail(
        item[textField] === undefined ? ' needs a text (or body) string' : `.${textField} must be a string`,
      );
    }
    const speakerField = item.from !== undefined && item.from !== null ? 'from' : 'speaker';
    const turn: RawTurn = {
      speaker: optionalString(item[speakerField], () => fail(`.${speakerField} must be a string`)),
      text,
    };
    const sentAt = optionalString(item.sent_at, () => fail('.sent_at must be an ISO-8601 string'));
    if (sentAt !== undefined) turn.sent_at = sentAt;
    return turn;
  });
}

/** Collapses whitespace, drops empty turns, and lays the turns out in the canonical text. */
function toTurns(rawTurns: RawTurn[]): Turn[] {
  const turns: Turn[] = [];
  let offset = 0;
  for (const raw of rawTurns) {
    const text = collapseWhitespace(raw.text);
    if (text === '') continue;
    const speaker =
      collapseWhitespace(raw.speaker ?? '')
        .replace(/:+$/u, '')
        .trim() || UNKNOWN_SPEAKER;
    const start = offset + speaker.length + 2; // after "speaker: "
    const turn: Turn = { index: turns.length, speaker, text, start, end: start + text.length };
    if (raw.start_ms !== undefined) turn.start_ms = raw.start_ms;
    if (raw.end_ms !== undefined) turn.end_ms = raw.end_ms;
    if (raw.sent_at !== undefined) turn.sent_at = raw.sent_at;
    turns.push(turn);
    offset = turn.end + 1; // the newline between turns
  }
  return turns;
}

function renderTurn(turn: Turn): string {
  return `${turn.speaker}: ${turn.text}`;
}

/** The canonical text of the turns: `speaker: text` lines, which the turns' offsets point into. */
export function conversationText(turns: readonly Turn[]): string {
  return turns.map(renderTurn).join('\n');
}

function chooseSource(requested: unknown, hasTranscript: boolean, messages: unknown): Source {
  if (typeof requested === 'string' && (SOURCES as readonly string[]).includes(requested))
    return requested as Source;
  if (hasTranscript) return 'call';
  const looksLikeEmail =
    Array.isArray(messages) && messages.some((message) => isRecord(message) && 'subject' in message);
  return looksLikeEmail ? 'email' : 'chat';
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function optionalString(value: unknown, fail: () => Error): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fail();
  return value;
}

function optionalMilliseconds(value: unknown, fail: () => Error): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail();
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
