import { isDocumentLabel, isWellKnownSpeakerLabel, labelKey } from '../labels.ts';
import type { RawTurn } from '../model.ts';
import { parseClockTime } from './times.ts';

// "[00:01:23]", "(01:23)", "[1:02:03.5]": one capture group, the time itself.
const BRACKETED_TIME = String.raw`[\[(]\s*(\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?)\s*[\])]`;
// "00:01:23 Rep: …" — a bare time is only taken as a timestamp when a speaker label follows it.
const BARE_TIME = String.raw`(\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)`;
// A label word: capitalised ("Rep", "SPEAKER_01", "Jean-Luc", "O'Brien", "Dr.", "J."), or in a script
// without case ("李明", "राज"); never "Okay." (a sentence is not a label: the colon must follow).
const NAME_START = String.raw`[\p{Lu}\p{Lt}\p{Lo}]`;
const NAME_CHAR = String.raw`[\p{L}\p{M}\p{N}'’_-]`;
const LABEL_WORD = String.raw`(?:(?:Dr|Mrs?|Ms|Mx|Prof|Jr|Sr|St|\p{Lu})\.|${NAME_START}${NAME_CHAR}{0,24})`;
const LATER_WORD = String.raw`(?:${LABEL_WORD}|\p{N}+)`;
// At the start of a line: 1–4 label words ("Speaker 1", "Sales Rep"), or one lowercase word
// ("agent", "customer") as some tools export.
const LINE_LABEL = String.raw`${LABEL_WORD}(?: ${LATER_WORD}){0,3}|\p{Ll}${NAME_CHAR}{0,24}`;
// Inside a line: 1–3 label words, after a sentence end (see INLINE_TURN).
const INLINE_LABEL = `${LABEL_WORD}(?: ${LATER_WORD}){0,2}`;

const LEADING_BRACKETED_TIME = new RegExp(String.raw`^${BRACKETED_TIME}\s*`, 'u');
const LEADING_BARE_TIME = new RegExp(
  String.raw`^${BARE_TIME}\s+(?=(?:${LINE_LABEL})\s*(?:${BRACKETED_TIME})?\s*:)`,
  'u',
);
const LINE_START_LABEL = new RegExp(String.raw`^(${LINE_LABEL})\s*(?:${BRACKETED_TIME}\s*)?:`, 'u');
// "…the urgency? Prospect: …": a sentence end, optional time, label, optional time, ": ".
const INLINE_TURN = new RegExp(
  String.raw`(?<=[.?!…。؟]["'”’)\]]*)\s*(?:${BRACKETED_TIME}\s*)?(${INLINE_LABEL})\s*(?:${BRACKETED_TIME}\s*)?:\s+(?:${BRACKETED_TIME}\s*)?`,
  'gu',
);

/** One labelled (or unlabelled) stretch of a line. */
interface Segment {
  line: number;
  label: string | null;
  startMs: number | null;
  text: string;
}

/**
 * Reads `"Speaker: text"` lines (SPEC §10.1). A labelled line starts a turn and the unlabelled lines
 * after it continue it. A label that names a document part ("Note:", "Summary:") is text. Inside a
 * line, a speaker change after a sentence end starts a turn only at a known speaker — one that
 * starts a line elsewhere, a participant, a role or a diariser's label — so in
 * `"Rep: Which tools? Prospect: We use three. Salesforce: for CRM."` Salesforce stays text.
 * Null when no line starts with a speaker label.
 */
export function readSpeakerLines(
  lines: readonly string[],
  participants: ReadonlySet<string>,
): { turns: RawTurn[]; inlineSplits: boolean } | null {
  const starts = lines.map((line, i) => readLineStart(line, i));
  if (!starts.some((segment) => segment.label !== null)) return null;
  const known = new Set([
    ...participants,
    ...starts.flatMap((segment) => (segment.label === null ? [] : [labelKey(segment.label)])),
  ]);
  const isKnown = (label: string) =>
    !isDocumentLabel(label) && (known.has(labelKey(label)) || isWellKnownSpeakerLabel(label));
  let inlineSplits = false;
  const turns: RawTurn[] = [];
  for (const start of starts) {
    if (start.label === null && start.text.trim() === '') continue;
    const segments = splitInline(start, isKnown);
    if (segments.length > 1) inlineSplits = true;
    for (const segment of segments) {
      const previous = turns.at(-1);
      if (segment.label === null && previous !== undefined) {
        previous.text = `${previous.text} ${segment.text}`;
        previous.start_ms ??= segment.startMs;
      } else {
        turns.push({
          input_index: segment.line,
          speaker: segment.label,
          text: segment.text,
          start_ms: segment.startMs,
          end_ms: null,
        });
      }
    }
  }
  return { turns, inlineSplits };
}

function readLineStart(rawLine: string, line: number): Segment {
  let rest = rawLine.trim();
  let startMs: number | null = null;
  const leadingTime = LEADING_BRACKETED_TIME.exec(rest) ?? LEADING_BARE_TIME.exec(rest);
  if (leadingTime) {
    startMs = parseClockTime(leadingTime[1]);
    rest = rest.slice(leadingTime[0].length);
  }
  const label = LINE_START_LABEL.exec(rest);
  if (!label || !followsLabel(rest, label[0].length, label[1] ?? '') || isDocumentLabel(label[1] ?? '')) {
    return { line, label: null, startMs, text: rest };
  }
  startMs ??= parseClockTime(label[2]);
  rest = rest.slice(label[0].length).trimStart();
  const timeAfterLabel = LEADING_BRACKETED_TIME.exec(rest);
  if (timeAfterLabel) {
    startMs ??= parseClockTime(timeAfterLabel[1]);
    rest = rest.slice(timeAfterLabel[0].length);
  }
  return { line, label: label[1] ?? null, startMs, text: rest };
}

/** A label's colon is followed by a space or the end, or, after a name in a script without spaces, by its text. */
function followsLabel(line: string, colonEnd: number, label: string): boolean {
  const next = line[colonEnd];
  if (next === undefined || /\s/u.test(next)) return true;
  return /[\p{Lo}]$/u.test(label);
}

function splitInline(line: Segment, isKnown: (label: string) => boolean): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { ...line, text: '' };
  let from = 0;
  for (const match of line.text.matchAll(INLINE_TURN)) {
    const label = match[2] ?? '';
    if (!isKnown(label)) continue;
    current.text = line.text.slice(from, match.index);
    segments.push(current);
    current = { line: line.line, label, startMs: parseClockTime(match[1] ?? match[3] ?? match[4]), text: '' };
    from = match.index + match[0].length;
  }
  current.text = line.text.slice(from);
  segments.push(current);
  return segments;
}
