/**
 * A script-aware token estimate (SPEC §11.1), enough to refuse a prompt no model will take before
 * calling one. Tokenizers of current models spend about a token per 4 characters of English and
 * other Latin-script text, about one per character of Chinese, Japanese and Korean, and about one
 * per 2 characters of other scripts (Cyrillic, Greek, Arabic, Hebrew, Indic, Thai). It errs high
 * rather than low: a prompt refused here would have been refused by the provider, after a call.
 */
const ONE_PER_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LATIN = /[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;

export function estimateTokens(text: string): number {
  let latin = 0;
  let other = 0;
  let dense = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) latin++;
    else if (ONE_PER_CHARACTER.test(char)) dense++;
    else if (LATIN.test(char)) latin++;
    else other++;
  }
  return Math.ceil(latin / 4 + other / 2 + dense);
}
