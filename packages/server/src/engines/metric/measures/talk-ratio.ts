import { countWords } from '../../../conversation/text.ts';
import {
  absentTarget,
  confidenceOf,
  hasTimings,
  isTargetTurn,
  type Measure,
  noBasis,
  ofMap,
  round,
  targetName,
  UNKNOWN,
  wordsBy,
} from './measure.ts';

/**
 * Share of the talk by the target (signals §3): by speaking time when every turn is timed, else by
 * words. The denominator is every turn's talk, unknown speakers included.
 */
export const talkRatio: Measure = (conversation, target) => {
  const turns = conversation.turns;
  const { bySpeaker, bySide } = wordsBy(turns);
  const totalWords = [...bySpeaker.values()].reduce((sum, n) => sum + n, 0);
  const byTime = turns.every(hasTimings);
  const talkOf = (turn: (typeof turns)[number]) =>
    byTime && hasTimings(turn) ? Math.max(0, turn.end_ms - turn.start_ms) : countWords(turn.text);
  const timeBySpeaker = new Map<string, number>();
  const timeBySide = new Map<string, number>();
  let total = 0;
  let mine = 0;
  let myWords = 0;
  for (const turn of turns) {
    const talk = talkOf(turn);
    total += talk;
    if (isTargetTurn(turn, target)) {
      mine += talk;
      myWords += countWords(turn.text);
    }
    const speaker = turn.speaker ?? UNKNOWN;
    const side = turn.side ?? UNKNOWN;
    timeBySpeaker.set(speaker, (timeBySpeaker.get(speaker) ?? 0) + talk);
    timeBySide.set(side, (timeBySide.get(side) ?? 0) + talk);
  }
  const share = (n: number) => (total === 0 ? 0 : round((100 * n) / total, 1));
  const details: Record<string, unknown> = {
    unit: 'percent',
    basis: byTime ? 'time' : 'words',
    by_side: ofMap(byTime ? timeBySide : bySide, share),
    by_speaker: ofMap(byTime ? timeBySpeaker : bySpeaker, share),
  };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  if (total === 0) return noBasis('The conversation has no talk to measure a talk ratio on.', details);
  const value = (100 * mine) / total;
  if (byTime) details.word_share = totalWords === 0 ? 0 : round((100 * myWords) / totalWords, 1);
  const basis = byTime
    ? `${round(mine / 1000, 1)} s of ${round(total / 1000, 1)} s of speaking time`
    : `${mine} of ${total} words`;
  return {
    value,
    decimals: 1,
    reason: `${targetName(target)} spoke ${round(value, 1)}% of the talk (${basis}).`,
    confidence: confidenceOf(turns, target, { speakers: target.kind !== 'all', timings: false }),
    details,
  };
};
