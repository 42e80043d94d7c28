import type { ConversationFormat, RawTurn } from '../model.ts';
import { readPlain } from './plain.ts';
import { readSpeakerLines } from './speaker-lines.ts';
import { readSrt } from './srt.ts';
import { splitLines } from './times.ts';
import { readTwoLine } from './two-line.ts';
import { readWebVtt } from './webvtt.ts';

export interface ReadText {
  format: ConversationFormat;
  turns: RawTurn[];
  warnings: string[];
}

/**
 * A string transcript, read as the first format that fits (SPEC §10.1): WebVTT, SRT, two-line
 * exports, `Speaker: text` lines, else plain lines. The text is NFKC first, so full-width colons and
 * digits read like their plain forms.
 */
export function readTranscriptText(transcript: string, participants: ReadonlySet<string>): ReadText {
  const lines = splitLines(transcript.normalize('NFKC'));
  const vtt = readWebVtt(lines);
  if (vtt) return { format: 'webvtt', turns: vtt, warnings: [] };
  const srt = readSrt(lines);
  if (srt) return { format: 'srt', turns: srt, warnings: [] };
  const twoLine = readTwoLine(lines);
  if (twoLine) return { format: 'two_line', turns: twoLine, warnings: [] };
  const labelled = readSpeakerLines(lines, participants);
  if (labelled) {
    return {
      format: 'speaker_lines',
      turns: labelled.turns,
      warnings: labelled.inlineSplits ? ['inline_speaker_splits'] : [],
    };
  }
  return { format: 'plain', turns: readPlain(lines), warnings: [] };
}
