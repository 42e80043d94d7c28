import type { RawTurn } from '../model.ts';
import { blocksOf, readCuePayload, TIMING_LINE } from './cues.ts';
import { parseClockTime } from './times.ts';

/**
 * WebVTT (SPEC §10.1): one turn per cue, timed by it, the speaker from a `<v Name>` voice tag or a
 * `Name:` prefix. Cue identifiers, timing lines, NOTE, STYLE and REGION blocks and markup are never
 * text. Null when the text is not WebVTT.
 */
export function readWebVtt(lines: readonly string[]): RawTurn[] | null {
  if (!/^WEBVTT(?:\s|$)/u.test(lines[0]?.trim() ?? '')) return null;
  const turns: RawTurn[] = [];
  for (const block of blocksOf(lines)) {
    if (block.first === 0 || /^(?:NOTE|STYLE|REGION)(?:\s|$)/u.test(block.lines[0] ?? '')) continue;
    const timingAt = block.lines.findIndex((line) => TIMING_LINE.test(line));
    if (timingAt < 0) continue;
    const timing = TIMING_LINE.exec(block.lines[timingAt] ?? '')!;
    const { speaker, text } = readCuePayload(block.lines.slice(timingAt + 1));
    turns.push({
      input_index: block.first + timingAt,
      speaker,
      text,
      start_ms: parseClockTime(timing[1]),
      end_ms: parseClockTime(timing[2]),
    });
  }
  return turns;
}
