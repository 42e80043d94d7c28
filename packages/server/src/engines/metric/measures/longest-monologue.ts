import { labelKey } from '../../../conversation/labels.ts';
import type { Turn } from '../../../conversation/model.ts';
import { sentenceRanges } from '../../../conversation/sentences.ts';
import { countWords } from '../../../conversation/text.ts';
import { limitRange } from '../../../evaluation/text-ranges.ts';
import { isBackchannel } from './backchannels.ts';
import {
  absentTarget,
  confidenceOf,
  hasTimings,
  isTargetTurn,
  type Measure,
  noBasis,
  plural,
  round,
  toSpan,
} from './measure.ts';

/** A silence longer than this between two of a speaker's turns ends the monologue. */
const SILENCE_ENDS_MONOLOGUE_MS = 5_000;

interface Stretch {
  turns: Turn[];
  words: number;
}

/**
 * The target's longest stretch of talk, in words (signals §3): consecutive turns of one speaker,
 * through another speaker's backchannels, until someone else takes the floor or the speaker falls
 * silent for more than 5 s.
 */
export const longestMonologue: Measure = (conversation, target) => {
  const turns = conversation.turns;
  const details: Record<string, unknown> = { unit: 'words' };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  if (turns.every((turn) => turn.speaker === null)) {
    return noBasis(
      'The conversation names no speakers, so a monologue cannot be told from a dialogue.',
      details,
    );
  }
  let longest: Stretch | null = null;
  for (const stretch of stretches(turns)) {
    const first = stretch.turns[0]!;
    if (!isTargetTurn(first, target)) continue;
    if (!longest || stretch.words > longest.words) longest = stretch;
  }
  if (!longest || longest.words === 0)
    return noBasis('The target has no words to find a monologue in.', details);
  const first = longest.turns[0]!;
  const last = longest.turns.at(-1)!;
  details.speaker = first.speaker;
  details.turns = longest.turns.length;
  details.first_turn = first.index;
  details.last_turn = last.index;
  if (first.start_ms !== null && last.end_ms !== null)
    details.seconds = round((last.end_ms - first.start_ms) / 1000, 1);
  const opening = sentenceRanges(first.text)[0] ?? { start: 0, end: first.text.length };
  return {
    value: longest.words,
    decimals: 0,
    reason: `Longest monologue: ${first.speaker}, ${longest.words} words over ${plural(longest.turns.length, 'turn')}.`,
    confidence: confidenceOf(turns, target, { speakers: true, timings: false }),
    spans: [toSpan(first, limitRange(first.text, opening, 200, 'start'))],
    details,
  };
};

/**
 * Every speaker's stretches, in order. Another speaker's backchannels inside a stretch are skipped;
 * when that speaker then goes on talking, they open its own stretch ("Yep. We moved off…").
 */
function stretches(turns: readonly Turn[]): Stretch[] {
  const found: Stretch[] = [];
  let current = null as Stretch | null;
  let skipped: Turn[] = [];
  const keyOf = (turn: Turn) => (turn.speaker === null ? null : labelKey(turn.speaker));
  for (const turn of turns) {
    const speaker = keyOf(turn);
    const owner = current ? keyOf(current.turns[0]!) : null;
    if (current && speaker !== null && speaker === owner) {
      const previous = current.turns.at(-1)!;
      const silent =
        hasTimings(previous) &&
        turn.start_ms !== null &&
        turn.start_ms - previous.end_ms > SILENCE_ENDS_MONOLOGUE_MS;
      if (!silent) {
        current.turns.push(turn);
        current.words += countWords(turn.text);
        skipped = [];
        continue;
      }
    } else if (current && speaker !== owner && isBackchannel(turn.text)) {
      skipped.push(turn);
      continue;
    }
    if (current) found.push(current);
    // A turn without a speaker belongs to no one's monologue.
    if (speaker === null) current = null;
    else {
      // The new speaker's own backchannels just before: "Yep" and what follows it are one stretch.
      let from = skipped.length;
      while (from > 0 && keyOf(skipped[from - 1]!) === speaker) from--;
      const opening = [...skipped.slice(from), turn];
      current = { turns: opening, words: opening.reduce((n, t) => n + countWords(t.text), 0) };
    }
    skipped = [];
  }
  if (current) found.push(current);
  return found;
}
