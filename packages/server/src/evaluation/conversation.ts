import type { Source } from '../kits/brick.ts';

/** One turn of the normalised conversation. `start`/`end` are offsets of `text` in `Conversation.text`. */
export interface Turn {
  index: number;
  speaker: string;
  text: string;
  start: number;
  end: number;
  start_ms?: number;
  end_ms?: number;
  sent_at?: string;
}

/** The one canonical form every engine and the evidence check work on. */
export interface Conversation {
  source: Source;
  /** Canonical text: each turn rendered as `speaker: text`, turns separated by a newline. */
  text: string;
  turns: Turn[];
}
