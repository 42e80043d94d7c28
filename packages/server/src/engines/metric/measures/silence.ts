import { confidenceOf, hasTimings, type Measure, noBasis, plural, round } from './measure.ts';

/** A gap between turns longer than this is dead air. */
const SILENCE_MS = 3_000;

/** Dead air (signals §3): the sum of the gaps over 3 s between consecutive turns, in seconds. */
export const silence: Measure = (conversation, target) => {
  const turns = conversation.turns;
  let totalMs = 0;
  let count = 0;
  let longestMs = 0;
  let measured = 0;
  for (let i = 1; i < turns.length; i++) {
    const before = turns[i - 1]!;
    const turn = turns[i]!;
    if (!hasTimings(before) || turn.start_ms === null) continue;
    measured++;
    const gap = turn.start_ms - before.end_ms;
    if (gap <= SILENCE_MS) continue;
    totalMs += gap;
    count++;
    longestMs = Math.max(longestMs, gap);
  }
  const details: Record<string, unknown> = {
    unit: 'seconds',
    count,
    longest_seconds: round(longestMs / 1000, 1),
  };
  if (measured === 0)
    return noBasis('Silence needs turn timings (start_ms/end_ms), and this conversation has none.', details);
  return {
    value: totalMs / 1000,
    decimals: 1,
    reason: `${plural(count, 'silence')} of more than 3 s, ${round(totalMs / 1000, 1)} s in all.`,
    confidence: confidenceOf(turns, target, { speakers: false, timings: true }),
    details,
  };
};
