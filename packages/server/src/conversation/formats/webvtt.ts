import type { RawTurn } from '../model.ts';
import { blocksOf, cueTurn } from './cues.ts';

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
    const turn = cueTurn(block);
    if (turn) turns.push(turn);
  }
  return turns;
}
