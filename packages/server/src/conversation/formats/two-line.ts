import type { RawTurn } from '../model.ts';
import { parseClockTime } from './times.ts';

// "Dana Smith  0:03", "Speaker 1 1:02:03": a name, spaces, a time, nothing else (Otter, Zoom).
const HEADER = /^\s*([\p{L}\p{M}][\p{L}\p{M}\p{N}'’_. -]{0,60}?)\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*$/u;

/**
 * Two-line exports (SPEC §10.1): a header line naming the speaker and the time, then the text
 * lines. The header gives `start_ms`; the end of a turn is not written, so `end_ms` is null. Null
 * unless the text starts with a header and has at least two, each followed by text.
 */
export function readTwoLine(lines: readonly string[]): RawTurn[] | null {
  const turns: RawTurn[] = [];
  let current: RawTurn | null = null;
  let headers = 0;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      if (current && current.text === '') return null;
      headers++;
      current = {
        input_index: i,
        speaker: header[1]?.trim() ?? null,
        text: '',
        start_ms: parseClockTime(header[2]),
        end_ms: null,
      };
      turns.push(current);
    } else {
      if (!current) return null;
      current.text = current.text === '' ? line.trim() : `${current.text} ${line.trim()}`;
    }
  }
  if (headers < 2 || (current && current.text === '')) return null;
  return turns;
}
