import { labelKey } from '../../../conversation/labels.ts';
import { confidenceOf, type Measure, noBasis, plural, round } from './measure.ts';

/** Speaker changes per minute of the conversation (signals §3); always per minute. */
export const interactivity: Measure = (conversation, target) => {
  const turns = conversation.turns;
  let switches = 0;
  for (let i = 1; i < turns.length; i++) {
    const a = turns[i - 1]!.speaker;
    const b = turns[i]!.speaker;
    if (a !== null && b !== null && labelKey(a) !== labelKey(b)) switches++;
  }
  const starts = turns.flatMap((turn) => (turn.start_ms === null ? [] : [turn.start_ms]));
  const ends = turns.flatMap((turn) => (turn.end_ms === null ? [] : [turn.end_ms]));
  const details: Record<string, unknown> = { unit: 'switches_per_minute', switches };
  if (turns.every((turn) => turn.speaker === null)) {
    return noBasis('Interactivity needs speakers, and this conversation names none.', details);
  }
  if (starts.length === 0 || ends.length === 0) {
    return noBasis(
      'Interactivity needs turn timings (start_ms/end_ms), and this conversation has none.',
      details,
    );
  }
  const minutes = (Math.max(...ends) - Math.min(...starts)) / 60_000;
  if (minutes <= 0) return noBasis('The turns span no time, so there is nothing to divide by.', details);
  details.minutes = round(minutes, 2);
  return {
    value: switches / minutes,
    decimals: 1,
    reason: `${plural(switches, 'speaker change')} in ${round(minutes, 1)} minutes: ${round(switches / minutes, 1)} per minute.`,
    confidence: confidenceOf(turns, target, { speakers: true, timings: true }),
    details,
  };
};
