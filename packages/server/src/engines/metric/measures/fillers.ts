import type { TextRange } from '../../../conversation/sentences.ts';
import { clauseRanges } from '../../../conversation/sentences.ts';
import { foldWord, wordTokens } from '../../../conversation/text.ts';

/** One filler in a turn's text. */
export interface Filler extends TextRange {
  filler: string;
}

const HESITATIONS = new Set(['um', 'umm', 'uh', 'uhm', 'er', 'erm', 'basically', 'literally']);
// "Do you know…", "if you know", "what you know": the words ask or mean something there.
const NOT_BEFORE_YOU_KNOW = new Set(['do', 'did', 'does', 'if', 'as', 'what', 'would', 'you']);
// "What kind of CRM", "a sort of plan", "the same kind of thing": a noun phrase, not a hedge.
const NOT_BEFORE_KIND_OF = new Set([
  'what',
  'which',
  'a',
  'the',
  'this',
  'that',
  'these',
  'those',
  'any',
  'some',
  'every',
  'each',
  'no',
  'one',
  'same',
  'other',
  'different',
  'certain',
  'all',
  'my',
  'your',
  'our',
  'their',
  'his',
  'her',
  'its',
]);

/** The fillers of a text (signals §3, filler_word_rate), each with where it sits. */
export function findFillers(text: string): Filler[] {
  const tokens = wordTokens(text);
  const words = tokens.map((token) => foldWord(token.word));
  const clauseStarts = new Set(clauseRanges(text).map((range) => range.start));
  const found: Filler[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = words[i]!;
    const next = words[i + 1];
    const before = words[i - 1];
    const two = (filler: string) => {
      found.push({ filler, start: token.start, end: tokens[i + 1]!.end });
      i++;
    };
    if (HESITATIONS.has(word)) found.push({ filler: word, start: token.start, end: token.end });
    else if (word === 'you' && next === 'know' && !NOT_BEFORE_YOU_KNOW.has(before ?? '')) two('you know');
    else if (word === 'i' && next === 'mean' && clauseStarts.has(token.start)) two('i mean');
    else if ((word === 'kind' || word === 'sort') && next === 'of' && !NOT_BEFORE_KIND_OF.has(before ?? ''))
      two(`${word} of`);
    else if (word === 'like' && setOffByCommas(text, token))
      found.push({ filler: 'like', start: token.start, end: token.end });
  }
  return found;
}

/** "It was, like, great" / "Like, I think": a comma right before or right after the word. */
function setOffByCommas(text: string, token: TextRange): boolean {
  const before = text.slice(0, token.start).trimEnd();
  const after = text.slice(token.end).trimStart();
  return before.endsWith(',') || after.startsWith(',');
}
