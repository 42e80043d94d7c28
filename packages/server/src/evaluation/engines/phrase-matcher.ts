import { type WordToken, wordTokens } from '../words.ts';
import { lightStem, plainWord } from './stem.ts';

/** A tracked phrase prepared for matching: its words as comparison keys, and what separates them. */
export interface CompiledPhrase {
  /** The phrase as the Kit wrote it; reported as the matched term. */
  phrase: string;
  keys: string[];
  gaps: string[];
}

/** Phrases indexed by their first word, ready to scan many turns. */
export interface PhraseSet {
  stem: boolean;
  byFirstKey: ReadonlyMap<string, readonly CompiledPhrase[]>;
}

export interface PhraseMatch {
  phrase: string;
  start: number;
  end: number;
}

/** Throws for a phrase without any word (e.g. "++"): that is a mistake in the Kit. */
export function compilePhrases(phrases: readonly string[], stem: boolean, brickLabel: string): PhraseSet {
  const byFirstKey = new Map<string, CompiledPhrase[]>();
  for (const phrase of phrases) {
    const tokens = wordTokens(phrase);
    if (tokens.length === 0)
      throw new Error(`${brickLabel}: tracker phrase ${JSON.stringify(phrase)} has no words`);
    const compiled: CompiledPhrase = {
      phrase: phrase.trim(),
      keys: tokens.map((token) => wordKey(token.word, stem)),
      gaps: tokens.slice(1).map((token, i) => phrase.slice(tokens[i]?.end ?? 0, token.start)),
    };
    const first = compiled.keys[0] ?? '';
    byFirstKey.set(first, [...(byFirstKey.get(first) ?? []), compiled]);
  }
  return { stem, byFirstKey };
}

/**
 * Phrase occurrences in a text, on word boundaries, case-insensitive, comparing stems when `stem`.
 * Words of a phrase must follow each other: separated by spaces or hyphens when the phrase uses
 * either ("follow up" finds "follow-up"), otherwise by exactly what the phrase has ("salesforce.com").
 */
export function findPhrases(text: string, phrases: PhraseSet): PhraseMatch[] {
  if (phrases.byFirstKey.size === 0) return [];
  const tokens = wordTokens(text);
  const keys = tokens.map((token) => wordKey(token.word, phrases.stem));
  const matches: PhraseMatch[] = [];
  for (const [i, key] of keys.entries()) {
    for (const phrase of phrases.byFirstKey.get(key) ?? []) {
      const last = tokens[i + phrase.keys.length - 1];
      if (!last || !followsPhrase(text, tokens, keys, i, phrase)) continue;
      matches.push({ phrase: phrase.phrase, start: tokens[i]?.start ?? 0, end: last.end });
    }
  }
  return matches;
}

function followsPhrase(
  text: string,
  tokens: readonly WordToken[],
  keys: readonly string[],
  at: number,
  phrase: CompiledPhrase,
): boolean {
  for (let j = 1; j < phrase.keys.length; j++) {
    if (keys[at + j] !== phrase.keys[j]) return false;
    const gap = text.slice(tokens[at + j - 1]?.end ?? 0, tokens[at + j]?.start ?? 0);
    if (!gapsAgree(gap, phrase.gaps[j - 1] ?? ' ')) return false;
  }
  return true;
}

const SPACE_OR_HYPHEN = /^[\s\-‐‑–—]+$/u;

function gapsAgree(textGap: string, phraseGap: string): boolean {
  if (SPACE_OR_HYPHEN.test(phraseGap)) return SPACE_OR_HYPHEN.test(textGap);
  return textGap.replace(/\s+/gu, ' ').toLowerCase() === phraseGap.replace(/\s+/gu, ' ').toLowerCase();
}

function wordKey(word: string, stem: boolean): string {
  return stem ? lightStem(word) : plainWord(word);
}
