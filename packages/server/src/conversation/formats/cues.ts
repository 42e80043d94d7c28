import { isDocumentLabel } from '../labels.ts';
import type { RawTurn } from '../model.ts';
import { parseClockTime } from './times.ts';

/**
 * What WebVTT and SRT cues share: a timing line, and a payload that may name its speaker with a
 * `Name:` prefix and carries markup that is never text.
 */

const CUE_TIME = String.raw`((?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})`;
export const TIMING_LINE = new RegExp(String.raw`^\s*${CUE_TIME}\s*-->\s*${CUE_TIME}`, 'u');

// <v Rep>, <v.loud Dana Smith>: the voice tag of WebVTT, naming the speaker.
const VOICE_TAG = /<v(?:\.[^\s>]*)?\s+([^>]+)>/u;
// Any other markup: <c.yellow>, </v>, <i>, <00:00:01.000>, <font color="…">, {\an8}.
const MARKUP = /<[^>]*>|\{\\[^}]*\}/gu;
// "Dana Smith: …", "SPEAKER_01: …", "李明: …" at the start of a payload.
const PREFIX_LABEL = /^([\p{Lu}\p{Lt}\p{Lo}][\p{L}\p{M}\p{N}'’_. -]{0,40}?)\s*:\s+/u;

/** The speaker and plain text of a cue's payload lines. */
export function readCuePayload(lines: readonly string[]): { speaker: string | null; text: string } {
  const joined = lines.join(' ');
  const voice = VOICE_TAG.exec(joined);
  // Tags sit inside words and sentences ("Hello <i>there</i>."): removed, not made spaces.
  let text = joined.replace(MARKUP, '').replace(/\s+/gu, ' ').trim();
  if (voice) return { speaker: voice[1]?.trim() || null, text };
  const prefix = PREFIX_LABEL.exec(text);
  if (prefix && !isDocumentLabel(prefix[1] ?? '')) {
    text = text.slice(prefix[0].length);
    return { speaker: prefix[1]?.trim() ?? null, text };
  }
  return { speaker: null, text };
}

/** Blocks of lines separated by blank lines, each with the index of its first line. */
export function blocksOf(lines: readonly string[]): { first: number; lines: string[] }[] {
  const blocks: { first: number; lines: string[] }[] = [];
  let current: { first: number; lines: string[] } | null = null;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (!current) {
      current = { first: i, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line);
  }
  return blocks;
}

/** The turn of one cue block: timed by its timing line, the payload after it; null without one. */
export function cueTurn(block: { first: number; lines: string[] }): RawTurn | null {
  const timingAt = block.lines.findIndex((line) => TIMING_LINE.test(line));
  if (timingAt < 0) return null;
  const timing = TIMING_LINE.exec(block.lines[timingAt] ?? '')!;
  const { speaker, text } = readCuePayload(block.lines.slice(timingAt + 1));
  return {
    input_index: block.first + timingAt,
    speaker,
    text,
    start_ms: parseClockTime(timing[1]),
    end_ms: parseClockTime(timing[2]),
  };
}
