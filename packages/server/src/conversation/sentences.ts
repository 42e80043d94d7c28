import { foldWord, wordTokens } from './text.ts';

/** A [start, end) range of characters inside one turn's text. */
export interface TextRange {
  start: number;
  end: number;
}

// A sentence ends at . ! ? … (or the CJK and Arabic marks; NFKC has made ？ and ！ plain), repeated,
// possibly closed by quotes or brackets, when what follows is the end, or whitespace and then
// anything but a lowercase letter: `He asked "why?" and left.` is one sentence. After 。 or ؟ no
// space is needed.
const SENTENCE_END =
  /(?:[.!?…]+["'”’»)\]]*(?=$|\s+(?!\p{Ll}))|[。؟]+["'”’」』)\]]*|[.!?]+["'”’」』)\]]*(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]))/gu;
const CLAUSE_END =
  /[.!?…,;:、，。؟]+["'”’»)\]]*(?=\s|$|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;

// "Dr. Smith", "e.g. this": a period after these is not a sentence end.
const ABBREVIATIONS = new Set([
  'dr',
  'mr',
  'mrs',
  'ms',
  'mx',
  'prof',
  'st',
  'jr',
  'sr',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  'no',
]);

/** The sentences of a text, each trimmed of surrounding whitespace. */
export function sentenceRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (match[0] === '.' && isAbbreviation(text, match.index)) continue;
    pushTrimmed(text, start, end, ranges);
    start = end;
  }
  pushTrimmed(text, start, text.length, ranges);
  return ranges;
}

/** The clauses of a text: sentences further cut at , ; and : */
export function clauseRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  for (const match of text.matchAll(CLAUSE_END)) {
    const end = match.index + match[0].length;
    pushTrimmed(text, start, end, ranges);
    start = end;
  }
  pushTrimmed(text, start, text.length, ranges);
  return ranges;
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

function isAbbreviation(text: string, periodAt: number): boolean {
  const before = wordTokens(text.slice(Math.max(0, periodAt - 12), periodAt)).at(-1);
  if (!before || before.end !== Math.min(12, periodAt)) return false;
  return ABBREVIATIONS.has(foldWord(before.word));
}

function pushTrimmed(text: string, start: number, end: number, into: TextRange[]): void {
  let from = start;
  while (from < end && /\s/u.test(text[from] ?? '')) from++;
  let to = end;
  while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
  if (to > from) into.push({ start: from, end: to });
}
