import { foldWord, wordTokens } from '../../conversation/text.ts';

/**
 * Negation scope (docs/signals.md §4): a mention is negated when a cue in the same clause, at most
 * six words before it, governs it — "we don't use Gong", "nobody here uses Gong" — and not when
 * the words say otherwise: "can't wait for the demo", "not only Gong but…", "no budget issues",
 * "I don't know if Gong is cheaper", "we can't decide without a demo".
 */

const CUES = new Set([
  'not',
  'no',
  'never',
  'nobody',
  'none',
  'nothing',
  'neither',
  'nor',
  'without',
  'cannot',
]);
const TWO_WORD_CUES = new Set(['no longer', 'stopped using']);
/** How many words before a mention a cue may stand. */
const WINDOW = 6;
/** How far back to look for the start of the clause. */
const LOOK_BACK = 400;
const CLAUSE_PUNCTUATION = /[,;:.?!…]/u;
const CLAUSE_WORDS = new Set(['but', 'though', 'although', 'however', 'yet', 'except']);
// "I don't know if Gong…": the cue negates the knowing, and the mention is what is considered.
const MENTAL_VERBS = new Set([
  'know',
  'remember',
  'recall',
  'care',
  'mind',
  'think',
  'believe',
  'say',
  'mean',
  'guess',
]);
// "not sure whether Gong…", "no better than Gong": the mention is in another proposition.
const BLOCKERS = new Set(['if', 'whether', 'that', 'than', 'because', 'since', 'who', 'which']);
// After "no <mention>", what may follow while the mention is still the noun that "no" negates.
const AFTER_NEGATED_NOUN = new Set([
  'for',
  'in',
  'at',
  'with',
  'to',
  'of',
  'on',
  'and',
  'or',
  'from',
  'here',
  'there',
  'anymore',
  'either',
  'now',
  'today',
  'yet',
  'this',
  'these',
]);

interface Word {
  word: string;
  start: number;
  end: number;
}

// The n't forms typed without their apostrophe ("dont"); with it, every word ending in n't is one.
const BARE_NT = new Set([
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'havent',
  'hasnt',
  'hadnt',
  'wouldnt',
  'couldnt',
  'shouldnt',
  'aint',
  'mustnt',
  'neednt',
]);
const isCue = (word: string) =>
  CUES.has(word) || BARE_NT.has(word) || (word.endsWith("n't") && word.length > 3);

/**
 * The cue that negates a mention at [start, end) of `text`, or null. "n't" forms ("don't",
 * "wouldn't", "couldn't", and "dont" without its apostrophe) are cues.
 */
export function negationBefore(text: string, start: number, end = start): string | null {
  const from = Math.max(0, start - LOOK_BACK);
  const before = clauseWords(text.slice(from, start), from);
  const window = before.slice(-WINDOW);
  const after = wordsOf(text.slice(end, end + 60), end);
  // Latest cue first: the nearest one governs.
  for (let i = window.length - 1; i >= 0; i--) {
    const word = window[i]!.word;
    const pair = i + 1 < window.length ? `${word} ${window[i + 1]!.word}` : '';
    const cue = TWO_WORD_CUES.has(pair) ? pair : isCue(word) ? word : null;
    if (cue === null) continue;
    const between = window.slice(i + (cue === pair ? 2 : 1)).map((w) => w.word);
    const beforeCue = window.slice(0, i).map((w) => w.word);
    if (!governs(cue, between, beforeCue, after)) continue;
    return cue;
  }
  return null;
}

function governs(
  cue: string,
  between: readonly string[],
  beforeCue: readonly string[],
  after: readonly Word[],
): boolean {
  const next = between[0];
  if ((cue === "can't" || cue === 'cant' || cue === 'cannot') && next === 'wait') return false;
  if (cue === 'not' && (next === 'only' || next === 'just')) return false;
  if (cue === 'no' && (next === 'doubt' || next === 'problem')) return false;
  if (next !== undefined && MENTAL_VERBS.has(next)) return false;
  if (between.some((word) => BLOCKERS.has(word))) return false;
  // "we can't decide without a demo": the demo is needed. Another cue before "without" undoes it,
  // and a "without" between a cue and the mention does too.
  if (cue === 'without' && beforeCue.some(isCue)) return false;
  if (between.includes('without')) return false;
  // "no budget issues": "no" negates the issues; the mention only describes them.
  if (cue === 'no') {
    const following = after[0]?.word;
    if (following !== undefined && !AFTER_NEGATED_NOUN.has(following)) return false;
  }
  return true;
}

/** The words of `text` after its last clause boundary, each with its offset in the whole text. */
function clauseWords(text: string, offset: number): Word[] {
  let clauseStart = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (CLAUSE_PUNCTUATION.test(text[i]!)) {
      clauseStart = i + 1;
      break;
    }
  }
  const words = wordsOf(text.slice(clauseStart), offset + clauseStart);
  let last = -1;
  for (const [i, word] of words.entries()) if (CLAUSE_WORDS.has(word.word)) last = i;
  return words.slice(last + 1);
}

/** Words up to the next clause punctuation. */
function wordsOf(text: string, offset: number): Word[] {
  const stop = text.search(CLAUSE_PUNCTUATION);
  const part = stop < 0 ? text : text.slice(0, stop);
  return wordTokens(part).map((token) => ({
    word: foldWord(token.word),
    start: offset + token.start,
    end: offset + token.end,
  }));
}
