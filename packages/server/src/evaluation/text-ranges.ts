/** A [start, end) range of characters inside one turn's text. */
export interface TextRange {
  start: number;
  end: number;
}

// A sentence ends at . ? ! or … (possibly repeated, possibly closed by a quote or bracket) before
// whitespace or the end of the text, so "3.5" and "Salesforce.com" do not end a sentence.
const SENTENCE_END = /[.?!…]+["'”’)\]]*(?=\s|$)/gu;
const CLAUSE_END = /[.?!…,;:]+["'”’)\]]*(?=\s|$)/gu;

/** The sentences of a text, each trimmed of surrounding whitespace. */
export function sentenceRanges(text: string): TextRange[] {
  return splitRanges(text, SENTENCE_END);
}

/** The clauses of a text: sentences further cut at , ; and : */
export function clauseRanges(text: string): TextRange[] {
  return splitRanges(text, CLAUSE_END);
}

/** The range among `ranges` that contains `offset` (the last one when it sits in whitespace between). */
export function rangeAround(ranges: readonly TextRange[], offset: number): TextRange | undefined {
  let found: TextRange | undefined;
  for (const range of ranges) {
    if (range.start > offset) break;
    found = range;
  }
  return found;
}

/**
 * Shortens a range to at most `max` characters without cutting a word in half, keeping its start
 * (for "the beginning of a monologue") or its end (for "the question at the end of a sentence").
 */
export function limitRange(text: string, range: TextRange, max: number, keep: 'start' | 'end'): TextRange {
  if (range.end - range.start <= max) return range;
  if (keep === 'start') {
    let end = range.start + max;
    const space = text.lastIndexOf(' ', end);
    if (space > range.start) end = space;
    return { start: range.start, end: trimEnd(text, range.start, end) };
  }
  let start = range.end - max;
  const space = text.indexOf(' ', start - 1);
  if (space >= 0 && space < range.end) start = space + 1;
  return { start, end: range.end };
}

/** A window of at most `max` characters of `within` around `match`, on word boundaries where possible. */
export function windowAround(text: string, within: TextRange, match: TextRange, max: number): TextRange {
  const room = Math.max(0, max - (match.end - match.start));
  let from = Math.max(within.start, match.start - Math.floor(room / 2));
  let to = Math.min(within.end, from + (match.end - match.start) + room);
  from = Math.max(within.start, to - max);
  if (from > within.start) {
    const space = text.indexOf(' ', from);
    if (space >= 0 && space < match.start) from = space + 1;
  }
  if (to < within.end) {
    const space = text.lastIndexOf(' ', to);
    if (space >= match.end) to = space;
  }
  return { start: from, end: trimEnd(text, from, to) };
}

function splitRanges(text: string, boundary: RegExp): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    pushTrimmed(text, start, match.index + match[0].length, ranges);
    start = match.index + match[0].length;
  }
  pushTrimmed(text, start, text.length, ranges);
  return ranges;
}

function pushTrimmed(text: string, start: number, end: number, into: TextRange[]): void {
  let from = start;
  while (from < end && /\s/u.test(text[from] ?? '')) from++;
  const to = trimEnd(text, from, end);
  if (to > from) into.push({ start: from, end: to });
}

function trimEnd(text: string, start: number, end: number): number {
  let to = end;
  while (to > start && /\s/u.test(text[to - 1] ?? '')) to--;
  return to;
}
