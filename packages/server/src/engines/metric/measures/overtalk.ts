import { labelKey } from '../../../conversation/labels.ts';
import { confidenceOf, hasTimings, type Measure, noBasis, plural, round } from './measure.ts';

/** Turns that start before the previous turn, another speaker's, has ended (signals §3). */
export const overtalk: Measure = (conversation, target) => {
  const turns = conversation.turns;
  let count = 0;
  let overlapMs = 0;
  let measured = 0;
  for (let i = 1; i < turns.length; i++) {
    const before = turns[i - 1]!;
    const turn = turns[i]!;
    if (before.speaker === null || turn.speaker === null || !hasTimings(before) || turn.start_ms === null)
      continue;
    if (labelKey(before.speaker) === labelKey(turn.speaker)) continue;
    measured++;
    if (turn.start_ms >= before.end_ms) continue;
    count++;
    overlapMs += Math.min(before.end_ms, turn.end_ms ?? before.end_ms) - turn.start_ms;
  }
  const details: Record<string, unknown> = { unit: 'overlaps', seconds: round(overlapMs / 1000, 1) };
  if (measured === 0) {
    return noBasis(
      'Overtalk needs speakers and turn timings (start_ms/end_ms) of consecutive turns.',
      details,
    );
  }
  return {
    value: count,
    decimals: 0,
    reason: `${plural(count, 'turn')} started while another speaker was still talking (${round(overlapMs / 1000, 1)} s of overlap).`,
    confidence: confidenceOf(turns, target, { speakers: true, timings: true }),
    details,
  };
};
