/** A turn as read from the input, before whitespace clean-up and offsets. */
export interface RawTurn {
  /** Undefined when the input names no speaker. */
  speaker: string | undefined;
  text: string;
  start_ms?: number;
  end_ms?: number;
  sent_at?: string;
}

// "[00:01:23]", "(01:23)", "[1:02:03.5]": one capture group, the time itself.
const BRACKETED_TIME = String.raw`[\[(]\s*(\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?)\s*[\])]`;
// "00:01:23 Rep: …" — a bare time is only taken as a timestamp when a speaker label follows it.
const BARE_TIME = String.raw`(\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)`;
// A capitalised label word: "Rep", "SPEAKER_01", "Jean-Luc", "O'Brien", "Dr.", "J."; never "Okay."
const CAPITALISED_WORD = String.raw`(?:(?:Dr|Mrs?|Ms|Mx|Prof|Jr|Sr|St|\p{Lu})\.|\p{Lu}[\p{L}\p{N}'’_-]*)`;
const LATER_WORD = String.raw`(?:${CAPITALISED_WORD}|\p{N}+)`;
// At the start of a line: 1–4 capitalised words ("Speaker 1", "Sales Rep"), or one lowercase word
// ("agent", "customer") as exported by some tools.
const LINE_LABEL = String.raw`${CAPITALISED_WORD}(?: ${LATER_WORD}){0,3}|\p{Ll}[\p{L}\p{N}'’_-]*`;
// Inside a line: only 1–3 capitalised words, and only after a sentence end (see INLINE_TURN).
const INLINE_LABEL = `${CAPITALISED_WORD}(?: ${LATER_WORD}){0,2}`;

const LEADING_BRACKETED_TIME = new RegExp(String.raw`^${BRACKETED_TIME}\s*`, 'u');
const LEADING_BARE_TIME = new RegExp(
  String.raw`^${BARE_TIME}\s+(?=(?:${LINE_LABEL})\s*(?:${BRACKETED_TIME})?\s*:)`,
  'u',
);
const LINE_START_LABEL = new RegExp(String.raw`^(${LINE_LABEL})\s*(?:${BRACKETED_TIME}\s*)?:(?:\s+|$)`, 'u');
// "…the urgency? Prospect: …": sentence end, whitespace, optional time, label, optional time, ": ".
const INLINE_TURN = new RegExp(
  String.raw`(?<=[.?!…]["'”’)\]]*)\s+(?:${BRACKETED_TIME}\s*)?(${INLINE_LABEL})\s*(?:${BRACKETED_TIME}\s*)?:\s+(?:${BRACKETED_TIME}\s*)?`,
  'gu',
);

/** One labelled (or unlabelled) stretch of a line. */
interface Segment {
  label: string | undefined;
  startMs: number | undefined;
  text: string;
}

/**
 * Reads a `"Speaker: text"` transcript. A labelled line starts a turn, an unlabelled line continues
 * the previous one, and a speaker change inside a line (after a sentence end) starts a new turn too,
 * so the one-line form `"Rep: Why now? Prospect: Budget."` gives two turns. In a transcript whose
 * lines already name two or more speakers, only those speakers split a line, so "Next Steps: …"
 * inside a turn stays text. Without any label, each line is a turn of an unknown speaker.
 */
export function parseTranscriptText(transcript: string): RawTurn[] {
  const lines = transcript
    .split(/\r\n|\r|\n/u)
    .map(readLineStart)
    .filter((line) => line.text.trim() !== '' || line.label !== undefined);
  const lineLabels = new Set(
    lines.flatMap((line) => (line.label === undefined ? [] : [line.label.toLowerCase()])),
  );
  const splitsLine = (label: string) => lineLabels.size < 2 || lineLabels.has(label.toLowerCase());
  const segmentsByLine = lines.map((line) => splitInline(line, splitsLine));

  if (!segmentsByLine.some((segments) => segments.some((segment) => segment.label !== undefined))) {
    return segmentsByLine.map((segments) =>
      toRawTurn(segments[0] ?? { label: undefined, startMs: undefined, text: '' }),
    );
  }
  const turns: RawTurn[] = [];
  for (const segment of segmentsByLine.flat()) {
    const previous = turns.at(-1);
    if (segment.label === undefined && previous !== undefined) {
      previous.text = `${previous.text} ${segment.text}`;
      if (previous.start_ms === undefined && segment.startMs !== undefined)
        previous.start_ms = segment.startMs;
    } else {
      turns.push(toRawTurn(segment));
    }
  }
  return turns;
}

function readLineStart(line: string): Segment {
  let rest = line.trim();
  let startMs: number | undefined;
  const leadingTime = LEADING_BRACKETED_TIME.exec(rest) ?? LEADING_BARE_TIME.exec(rest);
  if (leadingTime) {
    startMs = parseTime(leadingTime[1]);
    rest = rest.slice(leadingTime[0].length);
  }
  const label = LINE_START_LABEL.exec(rest);
  if (!label) return { label: undefined, startMs, text: rest };
  startMs ??= parseTime(label[2]);
  rest = rest.slice(label[0].length);
  const timeAfterLabel = LEADING_BRACKETED_TIME.exec(rest);
  if (timeAfterLabel) {
    startMs ??= parseTime(timeAfterLabel[1]);
    rest = rest.slice(timeAfterLabel[0].length);
  }
  return { label: label[1], startMs, text: rest };
}

function splitInline(line: Segment, splitsLine: (label: string) => boolean): Segment[] {
  const segments: Segment[] = [];
  let current = { ...line, text: '' };
  let from = 0;
  for (const match of line.text.matchAll(INLINE_TURN)) {
    const label = match[2] ?? '';
    if (!splitsLine(label)) continue;
    current.text = line.text.slice(from, match.index);
    segments.push(current);
    current = { label, startMs: parseTime(match[1] ?? match[3] ?? match[4]), text: '' };
    from = match.index + match[0].length;
  }
  current.text = line.text.slice(from);
  segments.push(current);
  return segments;
}

function toRawTurn(segment: Segment): RawTurn {
  const turn: RawTurn = { speaker: segment.label, text: segment.text };
  if (segment.startMs !== undefined) turn.start_ms = segment.startMs;
  return turn;
}

/** "01:23" is minutes:seconds, "1:02:03" hours:minutes:seconds; a fraction of a second may follow. */
function parseTime(time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const [clock = '', fraction = ''] = time.split(/[.,]/u);
  const seconds = clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  return seconds * 1000 + (fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * 1000));
}
