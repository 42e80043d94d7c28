/** A word of a turn's text and where it sits, so a match on words can be quoted exactly. */
export interface WordToken {
  word: string;
  start: number;
  end: number;
}

// Letters and digits, keeping contractions and possessives ("don't", "Gong's") as one word.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export function wordTokens(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  for (const match of text.matchAll(WORD)) {
    tokens.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

export function countWords(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(WORD)) count++;
  return count;
}
