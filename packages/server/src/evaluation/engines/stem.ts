/**
 * A deliberately light English stemmer for the tracker: it strips a few inflectional suffixes so a
 * phrase finds its common forms ("price" ~ "prices" ~ "priced" ~ "pricing", "integrate" ~
 * "integration"). It is applied to phrase words and text words alike, so it only has to be
 * consistent, not linguistically right. Stems never get shorter than three letters, which keeps
 * short words ("use", "us", "this", "thing") from colliding.
 */
export function lightStem(word: string): string {
  const stem = stripSuffix(plainWord(word));
  return stem.endsWith('e') && stem.length > MIN_STEM ? stem.slice(0, -1) : stem;
}

/** Lowercase, plain apostrophe, possessive dropped: how words compare when stemming is off. */
export function plainWord(word: string): string {
  return word.toLowerCase().replace(/’/gu, "'").replace(/'s$/u, '');
}

const MIN_STEM = 3;
const VOWEL = /[aeiou]/u;

function stripSuffix(word: string): string {
  return stripVerbalSuffix(stripPlural(word));
}

/** "companies" → "company", "boxes" → "box", "prices" → "price"; not "status", "this", "class". */
function stripPlural(word: string): string {
  if (word.endsWith('ies') && word.length - 3 >= 2) return `${word.slice(0, -3)}y`;
  if (/(?:s|x|z|ch|sh)es$/u.test(word) && word.length - 2 >= MIN_STEM) return word.slice(0, -2);
  if (/[^siu]s$/u.test(word) && word.length - 1 >= MIN_STEM) return word.slice(0, -1);
  return word;
}

function stripVerbalSuffix(word: string): string {
  for (const suffix of ['ation', 'ating', 'ated', 'ate']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM)
      return word.slice(0, -suffix.length);
  }
  if (word.endsWith('ied') && word.length - 3 >= 2) return `${word.slice(0, -3)}y`;
  // "agreed" → "agree" (then "agre", like "agree"); "need" and "speed" stay whole.
  if (word.endsWith('eed')) return word.length - 3 >= MIN_STEM ? word.slice(0, -1) : word;
  for (const suffix of ['ing', 'edly', 'ed']) {
    if (word.endsWith(suffix)) return verbStem(word, word.slice(0, -suffix.length));
  }
  if (word.endsWith('ly') && word.length - 2 >= 5) return word.slice(0, -2);
  return word;
}

/** "stopped" → "stop" (undouble), "used" → "use" (restore the e), "thing" stays "thing". */
function verbStem(word: string, stem: string): string {
  if (stem.length >= MIN_STEM) return /([^aeiouylsz])\1$/u.test(stem) ? stem.slice(0, -1) : stem;
  const [first = '', second = ''] = stem;
  if (stem.length === 2 && VOWEL.test(first) && !VOWEL.test(second)) return `${stem}e`;
  return word;
}
