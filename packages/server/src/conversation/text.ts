/**
 * Text as every engine compares it (SPEC §10.1): Unicode NFKC with whitespace collapsed, and words
 * as `Intl.Segmenter` finds them, so CJK, Thai and Devanagari (with its combining marks) count
 * correctly and `ＧＯＮＧ` is `GONG`.
 */

/** NFKC, whitespace runs made one space, trimmed. */
export function cleanText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** A word of a text and where it sits, so a match on words can be quoted exactly. */
export interface WordToken {
  word: string;
  start: number;
  end: number;
}

// The root locale: word breaks do not depend on the server's locale (CJK uses ICU's dictionaries).
const WORD_SEGMENTER = new Intl.Segmenter('und', { granularity: 'word' });

const LETTER_DOT_LETTER = /\p{L}\.(?=\p{L})/gu;

// Texts are immutable and the same turn is read by many Bricks: segment each once.
const cache = new Map<string, WordToken[]>();
const MAX_CACHED = 50_000;

export function wordTokens(text: string): WordToken[] {
  const cached = cache.get(text);
  if (cached) return cached;
  const tokens: WordToken[] = [];
  for (const segment of WORD_SEGMENTER.segment(text)) {
    if (!segment.isWordLike) continue;
    // ICU keeps "chorus.ai" and "salesforce.com" whole; they name "Chorus" and "Salesforce", so a
    // period between letters splits them (a period between digits, as in 3.5, does not).
    let from = 0;
    for (const dot of segment.segment.matchAll(LETTER_DOT_LETTER)) {
      const at = dot.index + 1;
      tokens.push({
        word: segment.segment.slice(from, at),
        start: segment.index + from,
        end: segment.index + at,
      });
      from = at + 1;
    }
    tokens.push({
      word: segment.segment.slice(from),
      start: segment.index + from,
      end: segment.index + segment.segment.length,
    });
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(text, tokens);
  return tokens;
}

export function countWords(text: string): number {
  return wordTokens(text).length;
}

/** How words compare case-insensitively: lowercase, plain apostrophe. */
export function foldWord(word: string): string {
  return word.toLowerCase().replace(/[’ʼ`]/gu, "'");
}
