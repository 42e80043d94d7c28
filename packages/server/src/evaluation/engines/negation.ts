import { wordTokens } from '../words.ts';

// Cues that negate what follows them in the same clause: "we don't use Gong", "without Gong".
const NEGATION_WORDS = new Set([
  'not',
  'no',
  'never',
  "don't",
  "doesn't",
  "didn't",
  "won't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "can't",
  'cannot',
  "haven't",
  "hasn't",
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'without',
  'nor',
  'neither',
]);
const NEGATION_PAIRS: readonly (readonly [string, string])[] = [
  ['stopped', 'using'],
  ['no', 'longer'],
];
/** How many words before a match a cue may stand. */
const WINDOW = 5;
/** How far back to look for the start of the clause. */
const LOOK_BACK = 300;
// A clause ends at punctuation or at "but": in "we use Gong but not Chorus" only Chorus is negated.
const CLAUSE_BOUNDARY = /[.,;:!?…]|(?<![\p{L}\p{N}])but(?![\p{L}\p{N}])/giu;

/**
 * The negation cue that negates a match starting at `matchStart`, or null: a cue counts when it
 * stands within five words before the match in the same clause.
 */
export function negationBefore(text: string, matchStart: number): string | null {
  const before = text.slice(Math.max(0, matchStart - LOOK_BACK), matchStart);
  let clauseStart = 0;
  for (const boundary of before.matchAll(CLAUSE_BOUNDARY)) clauseStart = boundary.index + boundary[0].length;
  const words = wordTokens(before.slice(clauseStart)).map((token) =>
    token.word.toLowerCase().replace(/’/gu, "'"),
  );
  const window = words.slice(-WINDOW);
  const single = window.find((word) => NEGATION_WORDS.has(word));
  if (single !== undefined) return single;
  const pairWindow = words.slice(-WINDOW - 1);
  for (let i = 0; i + 1 < pairWindow.length; i++) {
    const pair = NEGATION_PAIRS.find(
      ([first, second]) => pairWindow[i] === first && pairWindow[i + 1] === second,
    );
    if (pair) return pair.join(' ');
  }
  return null;
}
