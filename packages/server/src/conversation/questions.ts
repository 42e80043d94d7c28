import { sentenceRanges, type TextRange } from './sentences.ts';
import { foldWord, wordTokens } from './text.ts';

// Words a spoken question may start with before its opener: "So what's the budget", "Okay, can you…".
const LEAD_INS = new Set(['so', 'and', 'but', 'okay', 'ok', 'well', 'now', 'alright', 'right']);
const AUXILIARIES = new Set([
  'can',
  'could',
  'would',
  'will',
  'do',
  'does',
  'did',
  'is',
  'are',
  'was',
  'were',
  'have',
  'has',
  'should',
  'shall',
  'may',
  'might',
]);
const SUBJECTS = new Set([
  'you',
  'we',
  'i',
  'they',
  'he',
  'she',
  'it',
  'there',
  "y'all",
  'anyone',
  'someone',
  'this',
  'that',
]);
// Wh-words that open a question when an auxiliary (or much, many, long…) follows: "how does it
// work", "when can we start"; not "how nice", "when we met".
const WH_ADVERBS = new Set(['when', 'where', 'why', 'how']);
const AFTER_WH_ADVERB = new Set([...AUXILIARIES, 'much', 'many', 'long', 'often', 'soon', 'far', 'come']);
// Wh-words that open a question unless an article or a subject pronoun follows: "what time works",
// "which plan"; not "What a day.", "what you need is…".
const WH_DETERMINERS = new Set(['what', 'which', 'whose', 'who']);
const NOT_AFTER_WH_DETERMINER = new Set(['a', 'an', 'you', 'we', 'i', 'they', 'he', 'she', 'it']);
const WH_CONTRACTIONS = new Set(["what's", "how's", "where's", "who's", "when's", "why's"]);

// `She asked, "Can we start?"`: a question reported, not asked — a reporting verb, then a quote
// that holds the question mark.
const REPORTED_QUESTION =
  /\b(?:asked|asks|ask|said|says|say|wondered|wonders|wanted to know|wants to know)\b[^"“«]{0,20}["“«][^"”»]*\?["”»]$/iu;

/**
 * Whether a sentence is a question (SPEC §10.3): it ends with ? (or ؟), or it opens like one — an
 * auxiliary and a subject ("can you…", "could we…"), or a wh-word that asks ("what's the…",
 * "how does…"; not "What a day.", "How nice.", "When we met…") — and is not an exclamation.
 */
export function isQuestion(sentence: string): boolean {
  const trimmed = sentence.trim();
  if (REPORTED_QUESTION.test(trimmed)) return false;
  if (/[?؟]["'”’»)\]」』]*$/u.test(trimmed)) return true;
  if (/!["'”’»)\]]*$/u.test(trimmed)) return false;
  const words = wordTokens(trimmed).map((token) => foldWord(token.word));
  let at = 0;
  while (at < words.length - 1 && LEAD_INS.has(words[at] ?? '')) at++;
  const first = words[at];
  const second = words[at + 1];
  if (first === undefined) return false;
  if (WH_CONTRACTIONS.has(first)) return true;
  if (second === undefined) return false;
  if (AUXILIARIES.has(first)) return SUBJECTS.has(second);
  if (WH_ADVERBS.has(first)) return AFTER_WH_ADVERB.has(second);
  if (WH_DETERMINERS.has(first)) return !NOT_AFTER_WH_DETERMINER.has(second);
  return false;
}

/** The question sentences of a text. */
export function questionRanges(text: string): TextRange[] {
  return sentenceRanges(text).filter((range) => isQuestion(text.slice(range.start, range.end)));
}
