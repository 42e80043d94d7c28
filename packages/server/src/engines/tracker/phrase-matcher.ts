import { cleanText, type WordToken, wordTokens } from '../../conversation/text.ts';
import { inflections, plainWord } from './stem.ts';

/** A tracked phrase prepared for matching: the forms each of its words may take, and its gaps. */
interface CompiledPhrase {
  /** The phrase as the Kit wrote it; reported as the matched term. */
  phrase: string;
  words: ReadonlySet<string>[];
  gaps: string[];
}

/** Phrases indexed by every form of their first word, ready to scan many turns. */
export interface PhraseSet {
  caseSensitive: boolean;
  byFirstWord: ReadonlyMap<string, readonly CompiledPhrase[]>;
}

export interface PhraseMatch {
  phrase: string;
  start: number;
  end: number;
}

export interface PhraseOptions {
  stem: boolean;
  caseSensitive: boolean;
}

/** Throws for a phrase without any word (e.g. "++"): that is a mistake in the Kit. */
export function compilePhrases(
  phrases: readonly string[],
  options: PhraseOptions,
  brickLabel: string,
): PhraseSet {
  const byFirstWord = new Map<string, CompiledPhrase[]>();
  for (const written of phrases) {
    const phrase = cleanText(written);
    const tokens = wordTokens(phrase);
    if (tokens.length === 0)
      throw new Error(`${brickLabel}: tracker phrase ${JSON.stringify(written)} has no words`);
    const compiled: CompiledPhrase = {
      phrase,
      words: tokens.map((token) => formsOf(token.word, options)),
      gaps: tokens.slice(1).map((token, i) => phrase.slice(tokens[i]?.end ?? 0, token.start)),
    };
    for (const form of compiled.words[0] ?? [])
      byFirstWord.set(form, [...(byFirstWord.get(form) ?? []), compiled]);
  }
  return { caseSensitive: options.caseSensitive, byFirstWord };
}

/**
 * Phrase occurrences in a text, on word boundaries. Words of a phrase must follow each other:
 * separated by spaces or hyphens when the phrase uses either ("follow up" finds "follow-up"),
 * otherwise by exactly what the phrase has ("salesforce.com").
 */
export function findPhrases(text: string, phrases: PhraseSet): PhraseMatch[] {
  if (phrases.byFirstWord.size === 0) return [];
  const tokens = wordTokens(text);
  const keys = tokens.map((token) => textKey(token.word, phrases.caseSensitive));
  const matches: PhraseMatch[] = [];
  for (const [i, key] of keys.entries()) {
    for (const phrase of phrases.byFirstWord.get(key) ?? []) {
      const last = tokens[i + phrase.words.length - 1];
      if (!last || !followsPhrase(text, tokens, keys, i, phrase)) continue;
      matches.push({ phrase: phrase.phrase, start: tokens[i]?.start ?? 0, end: last.end });
    }
  }
  return matches;
}

/** A phrase word's accepted forms: its inflections when stemming; as written or in capitals when case-sensitive. */
function formsOf(word: string, options: PhraseOptions): Set<string> {
  const base = options.caseSensitive ? word.replace(/['’]s$/u, '') : plainWord(word);
  const forms = options.stem ? inflections(base) : [base];
  return new Set(options.caseSensitive ? forms.flatMap((form) => [form, form.toUpperCase()]) : forms);
}

function textKey(word: string, caseSensitive: boolean): string {
  return caseSensitive ? word.replace(/['’]s$/u, '') : plainWord(word);
}

function followsPhrase(
  text: string,
  tokens: readonly WordToken[],
  keys: readonly string[],
  at: number,
  phrase: CompiledPhrase,
): boolean {
  for (let j = 1; j < phrase.words.length; j++) {
    if (!phrase.words[j]?.has(keys[at + j] ?? '')) return false;
    const gap = text.slice(tokens[at + j - 1]?.end ?? 0, tokens[at + j]?.start ?? 0);
    if (!gapsAgree(gap, phrase.gaps[j - 1] ?? ' ')) return false;
  }
  return true;
}

const SPACE_OR_HYPHEN = /^[\s\-‐‑–—]*$/u;

function gapsAgree(textGap: string, phraseGap: string): boolean {
  if (SPACE_OR_HYPHEN.test(phraseGap)) return SPACE_OR_HYPHEN.test(textGap);
  return textGap.replace(/\s+/gu, ' ').toLowerCase() === phraseGap.replace(/\s+/gu, ' ').toLowerCase();
}
