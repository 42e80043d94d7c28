import type { EvidenceSpan } from './brick-result.ts';
import type { Conversation } from './conversation.ts';

export interface VerifiedEvidence {
  /** The quotes as they appear in the turn text (not as the evaluator wrote them). */
  evidence: string[];
  spans: EvidenceSpan[];
  /** Quotes that could not be found in any single turn. */
  dropped: string[];
}

/**
 * A text folded for tolerant comparison: lowercase, typographic quotes and dashes made plain,
 * whitespace runs made one space. `from[i]`/`to[i]` give the original characters behind folded
 * character i, so a match in the folded text maps back to an exact substring of the original.
 */
interface FoldedText {
  text: string;
  from: number[];
  to: number[];
}

const PLAIN_EQUIVALENT: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  ʼ: "'",
  '′': "'",
  '`': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '…': '...',
};

const foldedTurnsCache = new WeakMap<Conversation, FoldedText[]>();

/**
 * Finds a quote inside one turn, tolerating case, whitespace, typographic quote variants, wrapping
 * quotation marks, a leading `Speaker: ` and a trailing punctuation mark that the turn does not
 * have. Returns offsets into `turns[turn].text`, or null when the quote is not in any single turn.
 */
export function locateQuote(conversation: Conversation, quote: string): EvidenceSpan | null {
  const needle = unwrapQuote(fold(quote).text);
  if (needle === '') return null;
  const turns = foldedTurns(conversation);
  const candidates = [needle, needle.replace(/[.,;:!?]+$/u, '')].filter((candidate) => candidate !== '');
  for (const candidate of candidates) {
    const found = search(conversation, turns, candidate, () => true);
    if (found) return found;
  }
  // "Rep: we need it by Q3" — look for the rest in that speaker's turns only.
  const prefixed = /^([^:]{1,100}):\s*(.+)$/su.exec(needle);
  if (prefixed) {
    const speaker = fold(prefixed[1] ?? '').text.trim();
    const rest = prefixed[2] ?? '';
    for (const candidate of [rest, rest.replace(/[.,;:!?]+$/u, '')].filter((text) => text !== '')) {
      const found = search(
        conversation,
        turns,
        candidate,
        (turn) => turn.speaker !== null && fold(turn.speaker).text === speaker,
      );
      if (found) return found;
    }
  }
  return null;
}

/** Checks every quote against the conversation; keeps each found span once, in the order given. */
export function verifyEvidence(conversation: Conversation, quotes: readonly string[]): VerifiedEvidence {
  const result: VerifiedEvidence = { evidence: [], spans: [], dropped: [] };
  const seen = new Set<string>();
  for (const quote of quotes) {
    const span = typeof quote === 'string' ? locateQuote(conversation, quote) : null;
    if (span === null) {
      result.dropped.push(String(quote));
      continue;
    }
    const key = `${span.turn}:${span.start}:${span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.evidence.push(conversation.turns[span.turn]?.text.slice(span.start, span.end) ?? '');
    result.spans.push(span);
  }
  return result;
}

function search(
  conversation: Conversation,
  folded: FoldedText[],
  needle: string,
  accepts: (turn: { speaker: string | null }) => boolean,
): EvidenceSpan | null {
  for (const [i, turn] of conversation.turns.entries()) {
    const text = folded[i];
    if (!text || !accepts(turn)) continue;
    const at = text.text.indexOf(needle);
    if (at < 0) continue;
    return { turn: turn.index, start: text.from[at] ?? 0, end: text.to[at + needle.length - 1] ?? 0 };
  }
  return null;
}

function foldedTurns(conversation: Conversation): FoldedText[] {
  let folded = foldedTurnsCache.get(conversation);
  if (!folded) {
    folded = conversation.turns.map((turn) => fold(turn.text));
    foldedTurnsCache.set(conversation, folded);
  }
  return folded;
}

function fold(original: string): FoldedText {
  const folded: FoldedText = { text: '', from: [], to: [] };
  let i = 0;
  while (i < original.length) {
    const char = String.fromCodePoint(original.codePointAt(i) ?? 0);
    let end = i + char.length;
    let replacement: string;
    if (/\s/u.test(char)) {
      while (end < original.length && /\s/u.test(original[end] ?? '')) end++;
      replacement = ' ';
    } else {
      replacement = PLAIN_EQUIVALENT[char] ?? char.toLowerCase();
    }
    for (const piece of replacement) {
      folded.text += piece;
      for (let k = 0; k < piece.length; k++) {
        folded.from.push(i);
        folded.to.push(end);
      }
    }
    i = end;
  }
  return folded;
}

/** Drops surrounding whitespace, a pair of wrapping quotation marks and leading/trailing "...". */
function unwrapQuote(folded: string): string {
  let quote = folded.trim();
  for (const mark of ['"', "'"]) {
    if (quote.length >= 2 && quote.startsWith(mark) && quote.endsWith(mark))
      quote = quote.slice(1, -1).trim();
  }
  return quote
    .replace(/^(?:\.{3}\s*)+/u, '')
    .replace(/(?:\s*\.{3})+$/u, '')
    .trim();
}
