import type { RawTurn } from '../model.ts';
import { blocksOf, cueTurn, TIMING_LINE } from './cues.ts';

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
    const turn = cueTurn(block);
    if (turn) turns.push(turn);
  }
  return turns;
}
