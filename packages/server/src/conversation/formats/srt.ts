import type { RawTurn } from '../model.ts';
import { blocksOf, readCuePayload, TIMING_LINE } from './cues.ts';
import { parseClockTime } from './times.ts';

/**
 * SubRip (SPEC §10.1): numbered cues, one turn each (never glued to the next, even of one speaker),
 * timed by the cue, the speaker from a `Name:` prefix. Null when the text is not SRT: its first
 * block must be a number line and a timing line.
 */
export function readSrt(lines: readonly string[]): RawTurn[] | null {
  const blocks = blocksOf(lines);
  const first = blocks[0];
  if (!first || !/^\d+$/u.test(first.lines[0]?.trim() ?? '') || !TIMING_LINE.test(first.lines[1] ?? ''))
    return null;
  const turns: RawTurn[] = [];
  for (const block of blocks) {
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
