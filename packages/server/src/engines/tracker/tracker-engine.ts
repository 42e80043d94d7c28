import { labelKey } from '../../conversation/labels.ts';
import { questionRanges } from '../../conversation/questions.ts';
import { clauseRanges, rangeAround, sentenceRanges, type TextRange } from '../../conversation/sentences.ts';
import { countWords } from '../../conversation/text.ts';
import type { BrickResult, EvidenceSpan } from '../../evaluation/brick-result.ts';
import { buildResult } from '../../evaluation/build-result.ts';
import type { Conversation, Turn } from '../../evaluation/conversation.ts';
import type { Engine } from '../../evaluation/engine.ts';
import { fitNumber } from '../../evaluation/numeric-output.ts';
import { windowAround } from '../../evaluation/text-ranges.ts';
import type { BrickDefinition, TrackerSettings } from '../../kits/brick.ts';
import {
  compilePatterns,
  type PatternBudget,
  type PatternQuarantine,
  type ScanOptions,
  scanPatterns,
} from './guarded-patterns.ts';
import { negationBefore } from './negation.ts';
import { compilePhrases, findPhrases, type PhraseSet } from './phrase-matcher.ts';

/** One occurrence of a tracked phrase or pattern in a turn. */
interface Mention {
  turn: Turn;
  start: number;
  end: number;
  /** The phrase as the Kit wrote it, or the text a pattern matched. */
  term: string;
}

interface CompiledTracker {
  phrases: PhraseSet;
  patterns: RegExp[];
}

const MAX_EVIDENCE = 10;
/** Mentions listed in details.hits and details.negated_hits; hits_total counts all. */
const MAX_HITS = 200;
const MAX_QUOTE_CHARS = 300;
const NAMES_IN_REASON = 5;

// Bricks are immutable versions, so their compiled phrases and patterns can be kept with them.
const compiledTrackers = new WeakMap<TrackerSettings, CompiledTracker>();

export interface TrackerEngineOptions {
  /** Slow patterns, per workspace; shared by every run this engine judges. */
  quarantine: PatternQuarantine;
  /** Time all of one run's patterns may take together (SPEC §9.3). */
  patternBudgetMs: number;
  /** Time one pattern (or one scan of a Brick's patterns together) may take. */
  patternTimeoutMs?: number;
}

/**
 * The `tracker` engine: finds tracked phrases and patterns, ignoring negated mentions
 * ("we don't use Gong"), and reports whether they came up (boolean), how often (number), or which
 * ones (string_list). A Brick whose patterns could not all run has no value: a pattern that was
 * skipped could have matched, so its absence must never read as `false` or a low count.
 */
export function createTrackerEngine(options: TrackerEngineOptions): Engine {
  return async ({ bricks, conversation, workspaceId, signal }) => {
    const budget: PatternBudget = { remainingMs: options.patternBudgetMs };
    const results: Record<string, BrickResult> = {};
    // One Brick after another, so the run's pattern budget is spent in the Kit's order.
    for (const brick of bricks) {
      results[brick.key] = await trackBrick(brick, conversation, {
        workspaceId,
        quarantine: options.quarantine,
        budget,
        ...(options.patternTimeoutMs === undefined ? {} : { timeoutMs: options.patternTimeoutMs }),
        signal,
      });
    }
    return { results };
  };
}

async function trackBrick(
  brick: BrickDefinition,
  conversation: Conversation,
  scanOptions: ScanOptions & { signal: AbortSignal },
): Promise<BrickResult> {
  const signal = scanOptions.signal;
  signal.throwIfAborted();
  const label = `Brick "${brick.key}" v${brick.version}`;
  const settings = brick.tracker;
  if (!settings) throw new Error(`${label} uses the tracker engine without tracker settings`);
  const outputType = brick.output.type;
  if (outputType !== 'boolean' && outputType !== 'number' && outputType !== 'string_list') {
    throw new Error(`${label}: the tracker gives boolean, number or string_list output, not "${outputType}"`);
  }
  if (settings.phrases.length === 0 && settings.patterns.length === 0) {
    throw new Error(`${label}: the tracker has no phrases or patterns to look for`);
  }
  const tracker = compiledTracker(settings, label);
  const speakers = new Set(settings.speakers.map(labelKey));
  const bySpeaker = (turn: Turn) =>
    speakers.size === 0 || (turn.speaker !== null && speakers.has(labelKey(turn.speaker)));
  const bySide = (turn: Turn) => settings.side === 'any' || turn.side === settings.side;
  const turns = conversation.turns.filter((turn) => bySpeaker(turn) && bySide(turn));

  const found: Mention[] = [];
  for (const turn of turns) {
    for (const match of findPhrases(turn.text, tracker.phrases)) {
      found.push({ turn, start: match.start, end: match.end, term: match.phrase });
    }
  }
  const scan =
    tracker.patterns.length === 0
      ? { matches: [], timedOut: [] }
      : await scanPatterns(
          tracker.patterns,
          turns.map((turn) => turn.text),
          scanOptions,
        );
  for (const match of scan.matches) {
    const turn = turns[match.text];
    if (turn) found.push({ turn, start: match.start, end: match.end, term: match.matched });
  }

  const counted: Mention[] = [];
  const negated: { mention: Mention; cue: string }[] = [];
  for (const mention of withoutOverlaps(found)) {
    if (settings.as_question && !inQuestion(mention)) continue;
    const cue = settings.negation ? negationBefore(mention.turn.text, mention.start, mention.end) : null;
    if (cue === null) counted.push(mention);
    else negated.push({ mention, cue });
  }

  const terms = countByTerm(counted);
  const skipped = scan.timedOut.map((p) => settings.patterns[p] ?? '');
  const details: Record<string, unknown> = {
    matches: counted.length,
    by_term: Object.fromEntries(terms),
    ignored_negated: negated.length,
    hits: counted.slice(0, MAX_HITS).map(hit),
    negated_hits: negated.slice(0, MAX_HITS).map(({ mention, cue }) => ({ ...hit(mention), cue })),
    hits_total: counted.length,
  };
  if (skipped.length > 0) details.skipped_patterns = skipped;
  return buildResult(brick, conversation, {
    // A list Brick's value is never null in its schema (as in noValueResult): empty, confidence 0.
    value:
      skipped.length > 0 ? (outputType === 'string_list' ? [] : null) : trackedValue(brick, counted, terms),
    confidence: skipped.length > 0 ? 0 : attributionConfidence(conversation.turns, settings),
    reason: explain(settings, terms, negated, skipped),
    spans: evidenceSpans(counted),
    details,
  });
}

/** A mention, as `details.hits` lists it: what, where, and who said it. */
function hit(mention: Mention) {
  const { turn, start, end, term } = mention;
  return { term, turn: turn.index, start, end, speaker: turn.speaker };
}

function inQuestion(mention: Mention): boolean {
  return questionRanges(mention.turn.text).some(
    (range) => range.start <= mention.start && mention.end <= range.end,
  );
}

/**
 * 1 when who said what does not matter (no side or speaker filter) or is known for every turn;
 * else the share of words whose speaker (side, for a side filter) is known: an unattributed turn
 * might hold a mention the filter would have counted.
 */
function attributionConfidence(turns: readonly Turn[], settings: TrackerSettings): number {
  const bySide = settings.side !== 'any';
  if (!bySide && settings.speakers.length === 0) return 1;
  let all = 0;
  let known = 0;
  for (const turn of turns) {
    const words = countWords(turn.text);
    all += words;
    if (bySide ? turn.side !== null : turn.speaker !== null) known += words;
  }
  return all === 0 ? 1 : Math.floor((100 * known) / all) / 100;
}

function compiledTracker(settings: TrackerSettings, label: string): CompiledTracker {
  let compiled = compiledTrackers.get(settings);
  if (!compiled) {
    compiled = {
      phrases: compilePhrases(
        settings.phrases,
        { stem: settings.stem, caseSensitive: settings.case_sensitive },
        label,
      ),
      patterns: compilePatterns(settings.patterns, label),
    };
    compiledTrackers.set(settings, compiled);
  }
  return compiled;
}

/**
 * One mention per stretch of text: where a phrase and a pattern (or "Gong" and "Gong Engage")
 * match overlapping text, the earlier, then longer, match stands for both.
 */
function withoutOverlaps(found: Mention[]): Mention[] {
  const sorted = [...found].sort(
    (a, b) => a.turn.index - b.turn.index || a.start - b.start || b.end - b.start - (a.end - a.start),
  );
  const kept: Mention[] = [];
  for (const mention of sorted) {
    const last = kept.at(-1);
    if (last && last.turn === mention.turn && mention.start < last.end) continue;
    kept.push(mention);
  }
  return kept;
}

/** Counts per term in order of first mention; pattern matches that differ only in case are one term. */
function countByTerm(mentions: Mention[]): Map<string, number> {
  const spellings = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const mention of mentions) {
    const key = mention.term.toLowerCase();
    const term = spellings.get(key) ?? mention.term;
    spellings.set(key, term);
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
}

function trackedValue(brick: BrickDefinition, counted: Mention[], terms: Map<string, number>): unknown {
  const output = brick.output;
  if (output.type === 'boolean') return counted.length > 0;
  if (output.type === 'string_list') return [...terms.keys()].slice(0, output.max_items);
  return fitNumber(brick, counted.length, 0);
}

/** The sentence around each mention (its clause, or a window, when the sentence is long). */
function evidenceSpans(mentions: Mention[]): EvidenceSpan[] {
  const spans: EvidenceSpan[] = [];
  const seen = new Set<string>();
  for (const mention of mentions) {
    if (spans.length >= MAX_EVIDENCE) break;
    const range = quoteAround(mention);
    const key = `${mention.turn.index}:${range.start}:${range.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    spans.push({ turn: mention.turn.index, start: range.start, end: range.end });
  }
  return spans;
}

function quoteAround(mention: Mention): TextRange {
  const text = mention.turn.text;
  const whole = { start: 0, end: text.length };
  const sentence = rangeAround(sentenceRanges(text), mention.start) ?? whole;
  if (sentence.end - sentence.start <= MAX_QUOTE_CHARS) return sentence;
  const clause = rangeAround(clauseRanges(text), mention.start) ?? sentence;
  if (clause.end - clause.start <= MAX_QUOTE_CHARS && clause.end >= mention.end) return clause;
  return windowAround(text, sentence, mention, MAX_QUOTE_CHARS);
}

function explain(
  settings: TrackerSettings,
  terms: Map<string, number>,
  negated: { mention: Mention; cue: string }[],
  skipped: string[],
): string {
  const sentences: string[] = [];
  if (terms.size > 0) {
    sentences.push(`Mentioned: ${[...terms].map(([term, count]) => `${term} (${count}×)`).join(', ')}.`);
  } else {
    const looked: string[] = [];
    if (settings.phrases.length > 0) looked.push(`No mention of ${listNames(settings.phrases)}`);
    if (settings.patterns.length > 0) {
      const patterns = `${settings.patterns.length} tracked pattern${settings.patterns.length === 1 ? '' : 's'}`;
      looked.push(looked.length > 0 ? `no match for the ${patterns}` : `No match for the ${patterns}`);
    }
    sentences.push(`${looked.join(', and ')}.`);
  }
  if (settings.speakers.length > 0) sentences.push(`Only ${listNames(settings.speakers, 'and')} counted.`);
  if (negated.length > 0) {
    const kinds = new Map<string, number>();
    for (const { mention, cue } of negated) {
      const kind = `${mention.term} after "${cue}"`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const examples = [...kinds].slice(0, 3).map(([kind, count]) => (count > 1 ? `${kind} ×${count}` : kind));
    const more = kinds.size > 3 ? ', …' : '';
    const noun = negated.length === 1 ? 'negated mention' : 'negated mentions';
    sentences.push(`Ignored ${negated.length} ${noun} (${examples.join(', ')}${more}).`);
  }
  if (skipped.length > 0) {
    sentences.push(
      `No value: ${skipped.length} pattern(s) were skipped (past the time limit on this run or in the last 10 minutes, or past the run's pattern time budget): ${skipped.join(', ')}.`,
    );
  }
  return sentences.join(' ');
}

function listNames(names: readonly string[], conjunction = 'or'): string {
  const shown = names.slice(0, NAMES_IN_REASON);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} ${conjunction} ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown.at(-1)}`;
}
