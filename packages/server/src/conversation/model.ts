import type { Source } from '../kits/brick.ts';

/** Who a speaker speaks for (SPEC §10.2): the seller's side, or the buyer's. */
export type Side = 'company' | 'customer';

/** How the input was written, as detected (SPEC §10.1). */
export type ConversationFormat =
  | 'turns'
  | 'messages'
  | 'speaker_lines'
  | 'webvtt'
  | 'srt'
  | 'two_line'
  | 'plain';

export interface Participant {
  name: string;
  side: Side | null;
  role: string | null;
}

/**
 * One turn of the normalised conversation. `text` is NFKC with whitespace collapsed; `start`/`end`
 * are its offsets in `Conversation.text` (internal: the API shows the turn without them).
 */
export interface Turn {
  index: number;
  /** Position in the caller's array, or the 0-based line of the input text where the turn starts. */
  input_index: number;
  speaker: string | null;
  side: Side | null;
  text: string;
  start_ms: number | null;
  end_ms: number | null;
  sent_at?: string;
  subject?: string;
  start: number;
  end: number;
}

/** How much the input can support: what share of turns have a speaker, and timings. */
export interface InputQuality {
  /** Share of turns with a known speaker, 0–1. */
  speakers_known: number;
  /** Share of turns with both start_ms and end_ms, 0–1. */
  timed: number;
  format: ConversationFormat;
  /** Guesses the reader made, and what the input lacks. */
  warnings: string[];
}

/** The one canonical form every engine and the evidence check work on. */
export interface Conversation {
  source: Source;
  format: ConversationFormat;
  participants: Participant[];
  turns: Turn[];
  input_quality: InputQuality;
  /** Canonical text: each turn rendered as `speaker: text`, turns separated by a newline. */
  text: string;
}

/** A turn as a format reader produces it, before clean-up, sides and offsets. */
export interface RawTurn {
  input_index: number;
  speaker: string | null;
  text: string;
  start_ms: number | null;
  end_ms: number | null;
  sent_at?: string;
  subject?: string;
}
