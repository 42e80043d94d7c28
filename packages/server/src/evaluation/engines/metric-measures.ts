import type { MetricSettings } from '../../kits/brick.ts';
import type { EvidenceSpan } from '../brick-result.ts';
import type { Conversation, Turn } from '../conversation.ts';
import { limitRange, sentenceRanges, type TextRange, windowAround } from '../text-ranges.ts';
import { countWords } from '../words.ts';

/** What a measure found: a number, or null with the reason there is no basis for one. */
export interface Measurement {
  value: number | null;
  /** How many decimals the value is worth reporting with. */
  decimals: number;
  reason: string;
  spans?: EvidenceSpan[];
  details?: Record<string, unknown>;
}

/** `speaker` is a speaker of the conversation (already resolved), or undefined for everyone. */
export type Measure = (conversation: Conversation, speaker: string | undefined) => Measurement;

const MAX_QUOTES = 5;

// Hesitations, and verbal tics that add no meaning. "like" only counts as "like," so that
// "I'd like to" and "looks like" are not fillers.
// Hyphens are word characters here so the backchannel "uh-huh" is not a filler.
const FILLER =
  /(?<![\p{L}\p{N}'’-])(?:u+m+|u+h+|e+r+m*|you\s+know|sort\s+of|kind\s+of|basically|actually|literally|like(?=,))(?![\p{L}\p{N}'’-])/giu;

export function talkRatio(conversation: Conversation, speaker: string | undefined): Measurement {
  const wordsBySpeaker = new Map<string, number>();
  for (const turn of conversation.turns) {
    wordsBySpeaker.set(turn.speaker, (wordsBySpeaker.get(turn.speaker) ?? 0) + countWords(turn.text));
  }
  const total = [...wordsBySpeaker.values()].reduce((sum, words) => sum + words, 0);
  const who = speaker ?? topSpeaker(conversation);
  if (total === 0) return noBasis('The conversation has no words to measure a talk ratio on.');
  const percent = (words: number) => (100 * words) / total;
  const words = wordsBySpeaker.get(who) ?? 0;
  const bySpeaker = Object.fromEntries(
    [...wordsBySpeaker].map(([name, count]) => [name, round(percent(count), 1)]),
  );
  return {
    value: percent(words),
    decimals: 1,
    reason: `${who} spoke ${round(percent(words), 1)}% of the words (${words} of ${total}).`,
    details: { speaker: who, by_speaker: bySpeaker, unit: 'percent' },
  };
}

export function longestMonologue(conversation: Conversation, speaker: string | undefined): Measurement {
  let longest: { first: number; last: number; words: number } | undefined;
  for (const run of speakerRuns(conversation.turns)) {
    if (speaker !== undefined && conversation.turns[run.first]?.speaker !== speaker) continue;
    if (!longest || run.words > longest.words) longest = run;
  }
  const first = longest && conversation.turns[longest.first];
  if (!longest || !first || longest.words === 0)
    return noBasis('The conversation has no words to find a monologue in.');
  const turnCount = longest.last - longest.first + 1;
  const opening = sentenceRanges(first.text)[0] ?? { start: 0, end: first.text.length };
  const details: Record<string, unknown> = {
    speaker: first.speaker,
    words: longest.words,
    turns: turnCount,
    first_turn: longest.first,
    last_turn: longest.last,
    unit: 'words',
  };
  const endMs = turnEndMs(conversation.turns, longest.last);
  if (first.start_ms !== undefined && endMs !== undefined)
    details.duration_seconds = round((endMs - first.start_ms) / 1000, 1);
  return {
    value: longest.words,
    decimals: 0,
    reason: `Longest monologue: ${first.speaker}, ${longest.words} words over ${plural(turnCount, 'consecutive turn')}.`,
    spans: [toSpan(first, limitRange(first.text, opening, 200, 'start'))],
    details,
  };
}

export function questionCount(conversation: Conversation, speaker: string | undefined): Measurement {
  const bySpeaker: Record<string, number> = {};
  const spans: EvidenceSpan[] = [];
  let count = 0;
  for (const turn of turnsOf(conversation, speaker)) {
    for (const sentence of sentenceRanges(turn.text)) {
      if (!/\?[?!.…]*["'”’)\]]*$/u.test(turn.text.slice(sentence.start, sentence.end))) continue;
      count++;
      bySpeaker[turn.speaker] = (bySpeaker[turn.speaker] ?? 0) + 1;
      if (spans.length < MAX_QUOTES) spans.push(toSpan(turn, limitRange(turn.text, sentence, 300, 'end')));
    }
  }
  const breakdown = Object.entries(bySpeaker)
    .map(([name, questions]) => `${name} ${questions}`)
    .join(', ');
  const reason =
    speaker !== undefined
      ? `${speaker} asked ${plural(count, 'question')}.`
      : `${plural(count, 'question')} asked${count > 0 ? ` (${breakdown})` : ''}.`;
  return {
    value: count,
    decimals: 0,
    reason,
    spans,
    details: { by_speaker: bySpeaker, ...speakerDetail(speaker) },
  };
}

/** Speaker switches per minute when the turns are timed, otherwise per 100 words. */
export function interactivity(conversation: Conversation): Measurement {
  const turns = conversation.turns;
  let switches = 0;
  for (let i = 1; i < turns.length; i++) if (turns[i]?.speaker !== turns[i - 1]?.speaker) switches++;
  const first = turns[0];
  const last = turns.at(-1);
  const timed = turns.every((turn) => turn.start_ms !== undefined);
  const durationMs = timed && first && last ? (last.end_ms ?? last.start_ms ?? 0) - (first.start_ms ?? 0) : 0;
  if (durationMs > 0) {
    const minutes = durationMs / 60_000;
    return {
      value: switches / minutes,
      decimals: 2,
      reason: `${plural(switches, 'speaker switch', 'speaker switches')} in ${round(minutes, 1)} minutes: ${round(switches / minutes, 2)} per minute.`,
      details: { switches, minutes: round(minutes, 2), unit: 'switches_per_minute' },
    };
  }
  const words = turns.reduce((sum, turn) => sum + countWords(turn.text), 0);
  if (words === 0) return noBasis('The conversation has no words to measure interactivity on.');
  const rate = (100 * switches) / words;
  return {
    value: rate,
    decimals: 2,
    reason: `No turn timings, so measured per 100 words: ${plural(switches, 'speaker switch', 'speaker switches')} in ${words} words = ${round(rate, 2)} per 100 words.`,
    details: { switches, words, unit: 'switches_per_100_words' },
  };
}

export function fillerWordRate(conversation: Conversation, speaker: string | undefined): Measurement {
  const fillers: Record<string, number> = {};
  const spans: EvidenceSpan[] = [];
  let count = 0;
  let words = 0;
  for (const turn of turnsOf(conversation, speaker)) {
    words += countWords(turn.text);
    const sentences = sentenceRanges(turn.text);
    let quoted: TextRange | undefined;
    for (const match of turn.text.matchAll(FILLER)) {
      count++;
      const filler = match[0].toLowerCase().replace(/\s+/gu, ' ');
      fillers[filler] = (fillers[filler] ?? 0) + 1;
      const sentence = sentences.find((range) => range.end > match.index);
      if (!sentence || sentence === quoted || spans.length >= MAX_QUOTES) continue;
      quoted = sentence;
      const at = { start: match.index, end: match.index + match[0].length };
      spans.push(toSpan(turn, windowAround(turn.text, sentence, at, 300)));
    }
  }
  if (words === 0) return noBasis('There are no words to measure filler words on.');
  const rate = (100 * count) / words;
  const top = Object.entries(fillers)
    .sort((a, b) => b[1] - a[1])
    .map(([filler, times]) => `"${filler}" ×${times}`)
    .join(', ');
  return {
    value: rate,
    decimals: 2,
    reason: `${speaker ?? 'The speakers'} used ${plural(count, 'filler word')} in ${words} words: ${round(rate, 2)} per 100 words${count > 0 ? ` (${top})` : ''}.`,
    spans,
    details: { fillers, filler_count: count, words, unit: 'per_100_words', ...speakerDetail(speaker) },
  };
}

export function wordsPerMinute(conversation: Conversation, speaker: string | undefined): Measurement {
  let words = 0;
  let durationMs = 0;
  let untimed = 0;
  for (const turn of turnsOf(conversation, speaker)) {
    const endMs = turnEndMs(conversation.turns, turn.index);
    if (turn.start_ms === undefined || endMs === undefined || endMs <= turn.start_ms) {
      untimed++;
      continue;
    }
    words += countWords(turn.text);
    durationMs += endMs - turn.start_ms;
  }
  if (durationMs === 0) {
    return noBasis('Words per minute needs turn timings (start_ms/end_ms), and this conversation has none.');
  }
  const minutes = durationMs / 60_000;
  const skipped = untimed > 0 ? ` ${plural(untimed, 'turn')} without timings left out.` : '';
  return {
    value: words / minutes,
    decimals: 0,
    reason: `${speaker ?? 'The speakers'} spoke ${words} words in ${round(minutes, 1)} minutes of talk: ${Math.round(words / minutes)} words per minute.${skipped}`,
    details: {
      words,
      minutes: round(minutes, 2),
      untimed_turns: untimed,
      unit: 'words_per_minute',
      ...speakerDetail(speaker),
    },
  };
}

/** Average pause, in seconds, before `speaker` answers someone else (overlaps count as no pause). */
export function patience(conversation: Conversation, speaker: string | undefined): Measurement {
  const who = speaker ?? topSpeaker(conversation);
  const gaps: number[] = [];
  const turns = conversation.turns;
  for (let i = 1; i < turns.length; i++) {
    const turn = turns[i];
    const before = turns[i - 1];
    if (!turn || !before || turn.speaker !== who || before.speaker === who) continue;
    if (turn.start_ms === undefined || before.end_ms === undefined) continue;
    gaps.push(Math.max(0, turn.start_ms - before.end_ms) / 1000);
  }
  if (gaps.length === 0) {
    const timed = turns.some((turn) => turn.end_ms !== undefined);
    return noBasis(
      timed
        ? `${who} never answers another speaker in a turn with timings, so there is no pause to measure.`
        : 'Patience needs turn start and end times (start_ms/end_ms), and this conversation has none.',
    );
  }
  const average = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  return {
    value: average,
    decimals: 2,
    reason: `${who} paused ${round(average, 2)} s on average before answering (${plural(gaps.length, 'answer')}).`,
    details: {
      speaker: who,
      answers: gaps.length,
      longest_pause_seconds: round(Math.max(...gaps), 2),
      unit: 'seconds',
    },
  };
}

export const MEASURES: Readonly<Record<MetricSettings['name'], Measure>> = {
  talk_ratio: talkRatio,
  longest_monologue: longestMonologue,
  question_count: questionCount,
  interactivity,
  filler_word_rate: fillerWordRate,
  words_per_minute: wordsPerMinute,
  patience,
};

/** The speaker with the most words; the first to speak wins a tie. */
export function topSpeaker(conversation: Conversation): string {
  const words = new Map<string, number>();
  for (const turn of conversation.turns)
    words.set(turn.speaker, (words.get(turn.speaker) ?? 0) + countWords(turn.text));
  let top = conversation.turns[0]?.speaker ?? '';
  for (const [speaker, count] of words) if (count > (words.get(top) ?? 0)) top = speaker;
  return top;
}

/** Maximal stretches of consecutive turns by one speaker. */
function speakerRuns(turns: readonly Turn[]): { first: number; last: number; words: number }[] {
  const runs: { first: number; last: number; words: number }[] = [];
  for (const [i, turn] of turns.entries()) {
    const run = runs.at(-1);
    if (run && turns[run.last]?.speaker === turn.speaker) {
      run.last = i;
      run.words += countWords(turn.text);
    } else {
      runs.push({ first: i, last: i, words: countWords(turn.text) });
    }
  }
  return runs;
}

/** A turn's end: its own end_ms, or else when the next turn starts (timestamped transcripts). */
function turnEndMs(turns: readonly Turn[], index: number): number | undefined {
  return turns[index]?.end_ms ?? turns[index + 1]?.start_ms;
}

function turnsOf(conversation: Conversation, speaker: string | undefined): Turn[] {
  return speaker === undefined
    ? conversation.turns
    : conversation.turns.filter((turn) => turn.speaker === speaker);
}

function toSpan(turn: Turn, range: TextRange): EvidenceSpan {
  return { turn: turn.index, start: range.start, end: range.end };
}

function noBasis(reason: string): Measurement {
  return { value: null, decimals: 0, reason };
}

function speakerDetail(speaker: string | undefined): Record<string, unknown> {
  return speaker === undefined ? {} : { speaker };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
