import type { RawTurn } from '../model.ts';

/** Text without speakers (unlabelled ASR output, notes): one turn per non-empty line, speaker null. */
export function readPlain(lines: readonly string[]): RawTurn[] {
  return lines.flatMap((line, i) =>
    line.trim() === '' ? [] : [{ input_index: i, speaker: null, text: line, start_ms: null, end_ms: null }],
  );
}
