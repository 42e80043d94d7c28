/**
 * The tracker's inflections (docs/signals.md §4): the forms of a phrase word are generated from
 * the word — plural, past, -ing — and a text word matches when it is one of them. Text words are
 * never cut down to a stem, so different words never meet: "news" is not "new", "rate" is not "rat",
 * "weekly" is not "meeting".
 */
export function inflections(word: string): string[] {
  const forms = new Set([word]);
  const lower = word.toLowerCase();
  if (NOT_INFLECTED.has(lower)) return [word];
  const last = word.at(-1) ?? '';
  const consonantY = /[^aeiou]y$/iu.test(word);
  const stem = consonantY ? word.slice(0, -1) : word;
  // Plural and third person: price → prices, box → boxes, company → companies.
  if (consonantY) forms.add(`${stem}ies`);
  else if (/(?:s|x|z|ch|sh)$/iu.test(word)) forms.add(`${word}es`);
  else forms.add(`${word}s`);
  // Past and -ing: stop → stopped, stopping (only those: "rated" and "rating" are rate's, not rat's).
  if (doublesItsConsonant(word)) {
    forms.add(`${word}${last}ed`);
    forms.add(`${word}${last}ing`);
    return [...forms];
  }
  // Past: price → priced, integrate → integrated, try → tried.
  if (consonantY) forms.add(`${stem}ied`);
  else if (last.toLowerCase() === 'e') forms.add(`${word}d`);
  else forms.add(`${word}ed`);
  // -ing: price → pricing, try → trying.
  if (last.toLowerCase() === 'e' && !/(?:ee|ye|oe)$/iu.test(word)) forms.add(`${word.slice(0, -1)}ing`);
  else forms.add(`${word}ing`);
  return [...forms];
}

// Words whose regular "inflection" is another word ("news" is not more than one "new"); they are
// matched as written.
const NOT_INFLECTED = new Set(['new', 'good', 'custom', 'arm', 'glass', 'manner', 'wood', 'brass']);

/**
 * A one-syllable word ending consonant–vowel–consonant doubles it: stop → stopped, plan →
 * planning, rat → ratted ("open" has two syllables: opened).
 */
function doublesItsConsonant(word: string): boolean {
  return /^[^aeiou]*[aeiou][^aeiouwxy]$/iu.test(word);
}

/** How words compare case-insensitively: lowercase, plain apostrophe, possessive dropped. */
export function plainWord(word: string): string {
  return word.toLowerCase().replace(/[’ʼ]/gu, "'").replace(/'s$/u, '');
}
