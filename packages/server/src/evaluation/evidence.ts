import type { EvidenceSpan } from './brick-result.ts';
import type { Conversation } from './conversation.ts';
import { FUNCTION_WORDS } from './function-words.ts';

/** A quote as an evaluator gives it: the words, and the turn it says they are from. */
export interface Quote {
  quote: string;
  turn?: number | null;
}

/** Where a quote was found. `approximate` marks a near-verbatim match, with its token similarity. */
export interface FoundQuote extends EvidenceSpan {
  approximate?: true;
  similarity?: number;
}

export type QuoteProblem = 'not_found' | 'too_short';

export interface VerifiedEvidence {
  /** The quotes as they appear in the turn text (not as the evaluator wrote them). */
  evidence: string[];
  /** One span per turn a quote was found in: a quote across two turns has two. */
  spans: FoundQuote[];
  /** How many of the quotes given were found (each once, however many turns it spans). */
  found: number;
  /** Quotes that are not evidence, as given, with why. */
  dropped: { quote: string; problem: QuoteProblem }[];
}

/**
 * The least token similarity of a near-verbatim quote (SPEC §11.2): one word in ten may differ,
 * and punctuation never counts. Below ten words, only punctuation may differ.
 */
export const APPROXIMATE_SIMILARITY = 0.9;

/** A quote of fewer words is not evidence, unless it is the whole turn ("Yes."). */
export const MIN_QUOTE_WORDS = 2;

/**
 * Whether one word can be a list item on its own (`items: quoted`): a number, with or without its
 * unit (`40k`, `2pm`, `5%`), or a word of two characters or more that is not a function word
 * (`Gong`, `Salesforce`). A lone letter or character, or `the`, names nothing.
 */
function namesAlone(word: string): boolean {
  if (/\p{N}/u.test(word)) return true;
  return [...word].length >= 2 && !FUNCTION_WORDS.has(word);
}

/**
 * Whether a function word the conversation writes as `said` (quote marks plain) from `start` to
 * `end` of `text` is a name: an acronym (`IT`, `US`) in a turn that is not all capitals, or
 * capitalised and not asking, where a sentence does not start (`loop in Will`, `in May`,
 * `Dr. May`) or anywhere when it is a word of a participant's or speaker's name (`names`).
 * `Will you`, `Sure, Will you`, `may I` and `let us` name nothing.
 */
function writtenAsName(
  said: string,
  text: string,
  start: number,
  end: number,
  names: ReadonlySet<string>,
): boolean {
  // A possessive is not part of how the name is written (`IT's` is the acronym IT).
  const word = said.replace(/'s$/iu, '');
  if ((word.match(/\p{L}/gu)?.length ?? 0) < 2 || !/^\p{Lu}/u.test(word)) return false;
  if (!/\p{Ll}/u.test(word)) return /\p{Ll}/u.test(text);
  if (SUBJECT_PRONOUN_NEXT.test(text.slice(end, end + 8))) return false;
  // A participant's name is a name at a sentence start too (`Thanks. Will sends it today.`).
  return names.has(word) || !startsSentence(text, start);
}

const participantWordsCache = new WeakMap<Conversation, ReadonlySet<string>>();

/**
 * The words of the people's names, as written: participants and speakers (`Will` and `Turner` of
 * `Will Turner`).
 */
function participantWords(conversation: Conversation): ReadonlySet<string> {
  let words = participantWordsCache.get(conversation);
  if (!words) {
    const names = [
      ...conversation.participants.map((p) => p.name),
      ...conversation.turns.map((t) => t.speaker ?? ''),
    ];
    words = new Set(
      [...new Set(names)].flatMap(
        (name) => plainMarks(name.normalize('NFKC')).match(/[\p{L}\p{M}'-]+/gu) ?? [],
      ),
    );
    participantWordsCache.set(conversation, words);
  }
  return words;
}

/** An auxiliary asking (`Will you`, `May I`, `Can we`): the next word is a subject pronoun. */
const SUBJECT_PRONOUN_NEXT = /^\s+(?:i|you|we|they|he|she|it)(?![\p{L}\p{N}])/iu;

/** Titles whose full stop ends no sentence: the name follows (`Dr. May`). */
const TITLE_BEFORE_DOT = /(?:^|[^\p{L}])(?:dr|mr|mrs|ms|mx|prof|st|sr|jr)$/iu;

/**
 * Whether `start` of `text` begins a sentence: the turn's start, or after `.`, `!`, `?`, `…`, `:`
 * or `;`, with the closing quotes and brackets that may follow them (`ready.” May I`). Turn text
 * has its line breaks made spaces (conversation/text.ts), so a line's start is not seen here.
 */
function startsSentence(text: string, start: number): boolean {
  let i = start - 1;
  // Opening quotes, brackets and dashes before a word do not end what came before.
  while (i >= 0 && /[\s"'“‘«([¿¡—–-]/u.test(text[i]!)) i--;
  while (i >= 0 && /[”’»)\]}"']/u.test(text[i]!)) i--;
  if (i < 0 || /[!?…:;]/u.test(text[i]!)) return true;
  return text[i] === '.' && !TITLE_BEFORE_DOT.test(text.slice(Math.max(0, i - 5), i));
}

/** A longer "quote" is not looked for: no turn can hold it once, and folding it would be costly. */
const MAX_QUOTE_CHARS = 10_000;

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

/** Quote marks and dashes made plain, case kept: "written as the item writes it" ignores them. */
const plainMarks = (text: string): string => [...text].map((c) => PLAIN_EQUIVALENT[c] ?? c).join('');

// Scripts written without spaces between words: each character counts as a word, and a match
// needs no word boundary next to them.
const UNSPACED = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}`;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const UNSPACED_CHAR = new RegExp(`[${UNSPACED}]`, 'u');
const TOKEN = new RegExp(
  String.raw`[${UNSPACED}]|(?:[[\p{L}\p{N}\p{M}]--[${UNSPACED}]])+(?:'(?:[[\p{L}\p{N}\p{M}]--[${UNSPACED}]])+)*`,
  'gv',
);

interface Token {
  word: string;
  start: number;
  end: number;
}

const tokens = (folded: string): Token[] =>
  [...folded.matchAll(TOKEN)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));

const foldedTurnsCache = new WeakMap<Conversation, FoldedTurn[]>();

interface FoldedTurn {
  folded: FoldedText;
  tokens: Token[];
}

/**
 * Finds a quote in the conversation: in `turn` first (the turn the evaluator named), then in any
 * turn, so a phrase said twice binds to the turn meant. Tolerates NFKC differences, case,
 * whitespace, typographic quote variants, wrapping quotation marks, a leading `Speaker: ` and a
 * trailing punctuation mark the turn does not have; matches start and end on word boundaries.
 * Failing that, a near-verbatim match (APPROXIMATE_SIMILARITY) is returned with `approximate`.
 * Offsets are into `turns[turn].text`.
 */
export function locateQuote(
  conversation: Conversation,
  quote: string,
  turn?: number | null,
): FoundQuote | null {
  const located = findQuote(conversation, quote, turn, { acrossTurns: false, item: false });
  return 'problem' in located ? null : (located[0] ?? null);
}

/**
 * Finds an item of an `items: quoted` list (SPEC §11.2): like a quote without a turn, in one turn,
 * except that one word is enough when it can name something alone (`namesAlone`) and is found as
 * a whole word. Such a word binds to an occurrence written as the item writes it, if there is one
 * (`Outreach` the vendor, not `outreach` the activity), else to its first occurrence.
 */
export function locateItem(conversation: Conversation, item: string): FoundQuote | null {
  const located = findQuote(conversation, item, null, { acrossTurns: false, item: true });
  return 'problem' in located ? null : (located[0] ?? null);
}

/**
 * Where a quote is: one span, or with `acrossTurns` two, in consecutive turns. With `item`, one
 * word that names something is enough (`locateItem`).
 */
function findQuote(
  conversation: Conversation,
  quote: string,
  turn: number | null | undefined,
  rules: { acrossTurns: boolean; item: boolean },
): FoundQuote[] | { problem: QuoteProblem } {
  if (quote.length > MAX_QUOTE_CHARS) return { problem: 'not_found' };
  const written = quote.normalize('NFKC');
  const writtenPlain = plainMarks(written);
  const needle = unwrapQuote(fold(written).text);
  if (needle === '') return { problem: 'not_found' };
  const folded = foldedTurns(conversation);
  const order = searchOrder(conversation, turn);
  const attempts: { text: string; accepts: (speaker: string | null) => boolean }[] = [
    { text: needle, accepts: () => true },
  ];
  // "Rep: we need it by Q3" — the rest, in that speaker's turns only.
  const prefixed = /^([^:]{1,100}):\s*(.+)$/su.exec(needle);
  if (prefixed) {
    const speaker = fold(prefixed[1] ?? '').text.trim();
    attempts.push({
      text: prefixed[2] ?? '',
      accepts: (s) => s !== null && fold(s).text === speaker,
    });
  }
  let short = false;
  for (const attempt of attempts) {
    for (const candidate of withoutTrailingMark(attempt.text)) {
      const words = tokens(candidate);
      const name = rules.item && words.length === 1 && namesAlone(words[0]!.word);
      // A function word is an item only where the conversation writes it as the item does, as a
      // name (`writtenAsName`); otherwise, as before, only as a whole turn.
      const nameIfWritten = rules.item && words.length === 1 && !name;
      const names = nameIfWritten ? participantWords(conversation) : null;
      // A name's first occurrence, kept while a later one written as the item is looked for.
      let first: FoundQuote | null = null;
      for (const i of order) {
        const t = conversation.turns[i]!;
        if (!attempt.accepts(t.speaker)) continue;
        const text = folded[i]!.folded;
        const spanAt = (at: number): FoundQuote => ({
          turn: t.index,
          start: text.from[at] ?? 0,
          end: text.to[at + candidate.length - 1] ?? 0,
        });
        if (name) {
          for (const at of wordMatches(text, candidate)) {
            const span = spanAt(at);
            if (writtenPlain.includes(plainMarks(t.text.slice(span.start, span.end)))) return [span];
            first ??= span;
          }
          continue;
        }
        if (names) {
          for (const at of wordMatches(text, candidate)) {
            const span = spanAt(at);
            const said = plainMarks(t.text.slice(span.start, span.end));
            if (writtenPlain.includes(said) && writtenAsName(said, t.text, span.start, span.end, names))
              return [span];
          }
        }
        const found =
          words.length >= MIN_QUOTE_WORDS ? searchWords(text, candidate) : searchWhole(text, candidate);
        if (found) return [spanAt(found.at)];
      }
      if (first) return [first];
      if (words.length < MIN_QUOTE_WORDS && !name) short = true;
    }
  }
  if (rules.acrossTurns) {
    for (const candidate of withoutTrailingMark(needle)) {
      const spans = findAcrossTurns(conversation, folded, order, candidate);
      if (spans) return spans;
    }
  }
  if (short) return { problem: 'too_short' };
  const approximate = findApproximate(conversation, folded, order, needle);
  return approximate ? [approximate] : { problem: 'not_found' };
}

/**
 * A quote that runs from the end of one turn into the start of the next (models join adjacent
 * turns, with or without the next speaker's label): two spans, one per turn, each of which must
 * be evidence on its own (two words, or the whole turn). Pairs holding the named turn come first.
 */
function findAcrossTurns(
  conversation: Conversation,
  folded: FoldedTurn[],
  order: number[],
  needle: string,
): FoundQuote[] | null {
  const pairs = [...new Set(order.flatMap((i) => [i - 1, i]))].filter(
    (a) => a >= 0 && a + 1 < conversation.turns.length,
  );
  for (const a of pairs) {
    const first = folded[a]!.folded;
    const second = folded[a + 1]!.folded;
    const speaker = conversation.turns[a + 1]!.speaker;
    const joints = [' ', ...(speaker === null ? [] : [` ${fold(speaker).text}: `])];
    for (const joint of joints) {
      const joined = first.text + joint + second.text;
      const boundary = first.text.length;
      for (let at = joined.indexOf(needle); at >= 0; at = joined.indexOf(needle, at + 1)) {
        const end = at + needle.length;
        if (at >= boundary || end <= boundary + joint.length || !onBoundary(joined, at, needle)) continue;
        const head = first.text.slice(at).trim();
        const tail = second.text.slice(0, end - boundary - joint.length).trim();
        const enough = (part: string, whole: string) =>
          tokens(part).length >= MIN_QUOTE_WORDS || withoutTrailingMark(whole.trim()).includes(part);
        if (!enough(head, first.text) || !enough(tail, second.text)) continue;
        const headAt = first.text.indexOf(head, at);
        return [
          {
            turn: conversation.turns[a]!.index,
            start: first.from[headAt] ?? 0,
            end: first.to[headAt + head.length - 1] ?? 0,
          },
          {
            turn: conversation.turns[a + 1]!.index,
            start: second.from[second.text.indexOf(tail)] ?? 0,
            end: second.to[second.text.indexOf(tail) + tail.length - 1] ?? 0,
          },
        ];
      }
    }
  }
  return null;
}

/** Turn positions to search: the named turn first, then every turn in order. */
function searchOrder(conversation: Conversation, turn: number | null | undefined): number[] {
  const named = conversation.turns.findIndex((t) => t.index === turn);
  const all = conversation.turns.map((_, i) => i);
  return named < 0 ? all : [named, ...all.filter((i) => i !== named)];
}

const withoutTrailingMark = (text: string) =>
  [text, text.replace(/[.,;:!?]+$/u, '').trim()].filter((t, i, all) => t !== '' && all.indexOf(t) === i);

/** The first occurrence of `needle` in `text` that starts and ends on word boundaries. */
function searchWords(text: FoldedText, needle: string): { at: number } | null {
  for (const at of wordMatches(text, needle)) return { at };
  return null;
}

/** Every occurrence of `needle` in `text` that starts and ends on word boundaries, in order. */
function* wordMatches(text: FoldedText, needle: string): Generator<number> {
  for (let at = text.text.indexOf(needle); at >= 0; at = text.text.indexOf(needle, at + 1)) {
    if (onBoundary(text.text, at, needle)) yield at;
  }
}

/** A short quote counts only as the whole turn (up to a trailing mark). */
function searchWhole(text: FoldedText, needle: string): { at: number } | null {
  const whole = text.text.trim();
  const at = text.text.indexOf(whole);
  return withoutTrailingMark(whole).includes(needle) ? { at } : null;
}

function onBoundary(text: string, at: number, needle: string): boolean {
  const first = needle[0] ?? '';
  const last = needle[needle.length - 1] ?? '';
  const before = text[at - 1] ?? '';
  const end = at + needle.length;
  const after = text[end] ?? '';
  const joins = (edge: string, next: string) =>
    WORD_CHAR.test(edge) && WORD_CHAR.test(next) && !UNSPACED_CHAR.test(edge) && !UNSPACED_CHAR.test(next);
  return !joins(first, before) && !joins(last, after) && !contracted(text, end, last);
}

/**
 * Whether the word ending at `end` goes on through a contraction (`don` of `don't`, `we` of
 * `we're`): an apostrophe and a letter, other than the possessive `'s`. Only after a word: before
 * one, an apostrophe is as often an elision (`l'équipe`) whose word stands alone.
 */
function contracted(text: string, end: number, last: string): boolean {
  if (text[end] !== "'" || !WORD_CHAR.test(last) || !WORD_CHAR.test(text[end + 1] ?? '')) return false;
  return !(text[end + 1] === 's' && !WORD_CHAR.test(text[end + 2] ?? ''));
}

/**
 * The best near-verbatim match: a run of a turn's words whose token similarity to the quote
 * (1 − word edit distance ÷ the longer length) is at least APPROXIMATE_SIMILARITY. Only turns that
 * hold enough of the quote's words are compared word by word.
 */
function findApproximate(
  conversation: Conversation,
  folded: FoldedTurn[],
  order: number[],
  needle: string,
): FoundQuote | null {
  const quote = tokens(needle).map((t) => t.word);
  const n = quote.length;
  if (n < MIN_QUOTE_WORDS) return null;
  const budget = Math.floor(n * (1 - APPROXIMATE_SIMILARITY) + 1e-9);
  for (const i of order) {
    const { folded: text, tokens: words } = folded[i]!;
    const present = new Set(words.map((w) => w.word));
    if (quote.filter((w) => present.has(w)).length < n - budget) continue;
    let best: { similarity: number; from: number; to: number } | null = null;
    for (let from = 0; from < words.length; from++) {
      for (
        let length = Math.max(1, n - budget);
        length <= n + budget && from + length <= words.length;
        length++
      ) {
        const window = words.slice(from, from + length).map((w) => w.word);
        const similarity = 1 - editDistance(quote, window) / Math.max(n, length);
        if (similarity >= APPROXIMATE_SIMILARITY && (!best || similarity > best.similarity)) {
          best = { similarity, from, to: from + length - 1 };
        }
      }
    }
    if (best) {
      const start = text.from[words[best.from]!.start] ?? 0;
      const end = text.to[words[best.to]!.end - 1] ?? 0;
      const similarity = Math.round(best.similarity * 100) / 100;
      return { turn: conversation.turns[i]!.index, start, end, approximate: true, similarity };
    }
  }
  return null;
}

function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Checks every quote against the conversation; keeps each found span once, in the order given. */
export function verifyEvidence(
  conversation: Conversation,
  quotes: readonly (Quote | string)[],
): VerifiedEvidence {
  const result: VerifiedEvidence = { evidence: [], spans: [], found: 0, dropped: [] };
  const seen = new Set<string>();
  for (const given of quotes) {
    const { quote, turn } = typeof given === 'string' ? { quote: given, turn: null } : given;
    const found =
      typeof quote === 'string'
        ? findQuote(conversation, quote, turn, { acrossTurns: true, item: false })
        : { problem: 'not_found' as const };
    if ('problem' in found) {
      result.dropped.push({ quote: String(quote), problem: found.problem });
      continue;
    }
    const fresh = found.filter((span) => !seen.has(`${span.turn}:${span.start}:${span.end}`));
    if (fresh.length === 0) continue;
    result.found++;
    for (const span of fresh) {
      seen.add(`${span.turn}:${span.start}:${span.end}`);
      const t = conversation.turns.find((x) => x.index === span.turn);
      result.evidence.push(t?.text.slice(span.start, span.end) ?? '');
      result.spans.push(span);
    }
  }
  return result;
}

function foldedTurns(conversation: Conversation): FoldedTurn[] {
  let folded = foldedTurnsCache.get(conversation);
  if (!folded) {
    folded = conversation.turns.map((turn) => {
      const text = fold(turn.text);
      return { folded: text, tokens: tokens(text.text) };
    });
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
