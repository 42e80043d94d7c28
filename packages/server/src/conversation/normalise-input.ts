import { InputInvalid } from '../errors/run-failure.ts';
import { SOURCES, type Source } from '../kits/brick.ts';
import { readTranscriptText } from './formats/read-transcript-text.ts';
import { labelKey } from './labels.ts';
import type { Conversation, ConversationFormat, InputQuality, Participant, RawTurn, Turn } from './model.ts';
import { withoutQuotedReplies } from './quoted-replies.ts';
import { readParticipants, sideResolver } from './sides.ts';
import { cleanText } from './text.ts';

export interface NormalisedInput {
  conversation: Conversation;
  /** Every input field except `transcript` and `messages`; passed to the evaluators as is. */
  context: Record<string, unknown>;
}

/**
 * Turns any accepted input shape (SPEC §3.1, §10.1) into the one canonical conversation: numbered
 * turns that remember where they came from (`input_index`), with speakers, sides, timings and
 * what the input can support (`input_quality`). Throws InputInvalid with a reason a client can
 * act on.
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
  const { participants, ignored } = readParticipants(input['participants']);
  const warnings: string[] = ignored ? ['participants_ignored'] : [];
  const read = hasTranscript
    ? readTranscript(transcript, new Set(participants.map((p) => labelKey(p.name))))
    : readMessages(messages);
  warnings.push(...read.warnings);
  const turns = toTurns(read.turns, participants);
  if (turns.length === 0) {
    throw new InputInvalid(
      'empty_conversation',
      `input.${hasTranscript ? 'transcript' : 'messages'} has no text`,
    );
  }
  const source = chooseSource(input['source'], hasTranscript, messages);
  return {
    conversation: {
      source,
      format: read.format,
      participants,
      turns,
      input_quality: inputQuality(turns, read.format, warnings),
      text: conversationText(turns),
    },
    context,
  };
}

interface Read {
  format: ConversationFormat;
  turns: RawTurn[];
  warnings: string[];
}

function readTranscript(transcript: unknown, participants: ReadonlySet<string>): Read {
  if (typeof transcript === 'string') return readTranscriptText(transcript, participants);
  if (!Array.isArray(transcript)) {
    throw new InputInvalid(
      'invalid_transcript',
      'input.transcript must be a string of "Speaker: text" lines or an array of {speaker, text} turns',
    );
  }
  const turns = transcript.map((item: unknown, i): RawTurn => {
    const fail = (message: string) =>
      new InputInvalid('invalid_transcript', `input.transcript[${i}]${message}`);
    if (!isRecord(item)) throw fail(' must be an object with a text field');
    if (typeof item['text'] !== 'string') throw fail('.text must be a string');
    const startMs = optionalMilliseconds(item['start_ms'], () =>
      fail('.start_ms must be a number of milliseconds ≥ 0'),
    );
    const endMs = optionalMilliseconds(item['end_ms'], () =>
      fail('.end_ms must be a number of milliseconds ≥ 0'),
    );
    if (startMs !== null && endMs !== null && endMs < startMs)
      throw fail('.end_ms must not be before start_ms');
    return {
      input_index: i,
      speaker: optionalString(item['speaker'], () => fail('.speaker must be a string')),
      text: item['text'],
      start_ms: startMs,
      end_ms: endMs,
    };
  });
  return { format: 'turns', turns, warnings: [] };
}

function readMessages(messages: unknown): Read {
  if (!Array.isArray(messages)) {
    throw new InputInvalid('invalid_messages', 'input.messages must be an array of {from, text} messages');
  }
  let quoted = false;
  const turns = messages.map((item: unknown, i): RawTurn => {
    const fail = (message: string) => new InputInvalid('invalid_messages', `input.messages[${i}]${message}`);
    if (!isRecord(item)) throw fail(' must be an object with a text (or body) field');
    // `text` wins over `body`, and `from` over `speaker`, when a message carries both.
    const textField = item['text'] !== undefined ? 'text' : 'body';
    const text = item[textField];
    if (typeof text !== 'string') {
      throw fail(
        item[textField] === undefined ? ' needs a text (or body) string' : `.${textField} must be a string`,
      );
    }
    const speakerField = item['from'] !== undefined && item['from'] !== null ? 'from' : 'speaker';
    const unquoted = withoutQuotedReplies(text);
    quoted ||= unquoted.removed;
    const turn: RawTurn = {
      input_index: i,
      speaker: optionalString(item[speakerField], () => fail(`.${speakerField} must be a string`)),
      text: unquoted.text,
      start_ms: null,
      end_ms: null,
    };
    const sentAt = optionalString(item['sent_at'], () => fail('.sent_at must be an ISO-8601 string'));
    if (sentAt !== null) turn.sent_at = sentAt;
    const subject = optionalString(item['subject'], () => fail('.subject must be a string'));
    if (subject !== null && subject.trim() !== '') turn.subject = cleanText(subject);
    return turn;
  });
  return { format: 'messages', turns, warnings: quoted ? ['quoted_text_removed'] : [] };
}

/** Cleans text and speakers, drops empty turns, resolves sides and lays out the canonical text. */
function toTurns(rawTurns: readonly RawTurn[], participants: readonly Participant[]): Turn[] {
  const sideOf = sideResolver(participants);
  const turns: Turn[] = [];
  let offset = 0;
  for (const raw of rawTurns) {
    const text = cleanText(raw.text);
    if (text === '') continue;
    const speaker = raw.speaker === null ? null : cleanText(raw.speaker).replace(/:+$/u, '').trim() || null;
    const start = offset + renderedSpeaker(speaker).length + 2; // after "speaker: "
    const turn: Turn = {
      index: turns.length,
      input_index: raw.input_index,
      speaker,
      side: sideOf(speaker),
      text,
      start_ms: raw.start_ms,
      end_ms: raw.end_ms,
      start,
      end: start + text.length,
    };
    if (raw.sent_at !== undefined) turn.sent_at = raw.sent_at;
    if (raw.subject !== undefined) turn.subject = raw.subject;
    turns.push(turn);
    offset = turn.end + 1; // the newline between turns
  }
  return turns;
}

function inputQuality(turns: readonly Turn[], format: ConversationFormat, warnings: string[]): InputQuality {
  const share = (count: number) => Math.round((1000 * count) / turns.length) / 1000;
  const speakers = turns.filter((turn) => turn.speaker !== null).length;
  const timed = turns.filter((turn) => turn.start_ms !== null && turn.end_ms !== null).length;
  const quality: InputQuality = {
    speakers_known: share(speakers),
    timed: share(timed),
    format,
    warnings: [...warnings],
  };
  if (speakers === 0) quality.warnings.push('no_speakers');
  if (format !== 'messages') {
    const started = turns.filter((turn) => turn.start_ms !== null).length;
    if (timed === 0) quality.warnings.push(started > 0 ? 'start_times_only' : 'no_timings');
    else if (timed < turns.length) quality.warnings.push('partial_timings');
  }
  return quality;
}

const renderedSpeaker = (speaker: string | null) => speaker ?? 'Unknown';

function renderTurn(turn: Turn): string {
  return `${renderedSpeaker(turn.speaker)}: ${turn.text}`;
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

function optionalString(value: unknown, fail: () => Error): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw fail();
  return value;
}

function optionalMilliseconds(value: unknown, fail: () => Error): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail();
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
