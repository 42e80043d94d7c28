import { labelKey } from '../../../conversation/labels.ts';
import type { Turn } from '../../../conversation/model.ts';
import {
  absentTarget,
  confidenceOf,
  hasTimings,
  isTargetTurn,
  type Measure,
  noBasis,
  plural,
  round,
  type Target,
  targetName,
} from './measure.ts';

/**
 * Mean pause before the target answers the other side (signals §3): `start_ms − previous end_ms`
 * where a turn of the target follows a turn of the other side; talking over counts as 0.
 */
export const patience: Measure = (conversation, target) => {
  const turns = conversation.turns;
  const gaps: number[] = [];
  for (let i = 1; i < turns.length; i++) {
    const turn = turns[i]!;
    const before = turns[i - 1]!;
    if (!isTargetTurn(turn, target) || !isOtherSide(before, turn, target)) continue;
    if (turn.start_ms === null || !hasTimings(before)) continue;
    gaps.push(Math.max(0, turn.start_ms - before.end_ms) / 1000);
  }
  const details: Record<string, unknown> = { unit: 'seconds', answers: gaps.length };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  if (gaps.length === 0) {
    const timed = turns.some(hasTimings);
    return noBasis(
      timed
        ? `${targetName(target)} never answers the other side in a turn with timings, so there is no pause to measure.`
        : 'Patience needs turn start and end times (start_ms/end_ms), and this conversation has none.',
      details,
    );
  }
  const average = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  details.longest_pause_seconds = round(Math.max(...gaps), 1);
  return {
    value: average,
    decimals: 1,
    reason: `${targetName(target)} paused ${round(average, 1)} s on average before answering (${plural(gaps.length, 'answer')}).`,
    confidence: confidenceOf(turns, target, { speakers: true, timings: true }),
    details,
  };
};

/** The turn before is the other party's: the other side for a side, someone else for a speaker. */
function isOtherSide(before: Turn, turn: Turn, target: Target): boolean {
  if (target.kind === 'side') return before.side !== null && before.side !== target.side;
  if (before.speaker === null || turn.speaker === null) return false;
  return labelKey(before.speaker) !== labelKey(turn.speaker);
}
