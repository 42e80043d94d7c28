import { countWords } from '../../../conversation/text.ts';
import {
  absentTarget,
  confidenceOf,
  hasTimings,
  isTargetTurn,
  type Measure,
  noBasis,
  plural,
  round,
  targetName,
} from './measure.ts';

/** The target's words ÷ its speaking minutes, over its timed turns (signals §3). */
export const wordsPerMinute: Measure = (conversation, target) => {
  const turns = conversation.turns;
  let words = 0;
  let durationMs = 0;
  let untimed = 0;
  for (const turn of turns) {
    if (!isTargetTurn(turn, target)) continue;
    // A zero-length turn ("Sure." from 12.000 to 12.000) is timed: its words count, its time is 0.
    if (!hasTimings(turn) || turn.end_ms < turn.start_ms) {
      untimed++;
      continue;
    }
    words += countWords(turn.text);
    durationMs += turn.end_ms - turn.start_ms;
  }
  const details: Record<string, unknown> = { unit: 'words_per_minute', words, untimed_turns: untimed };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  if (durationMs === 0) {
    return noBasis(
      'Words per minute needs the timings (start_ms and end_ms) of the turns it counts.',
      details,
    );
  }
  const minutes = durationMs / 60_000;
  details.minutes = round(minutes, 2);
  const left = untimed > 0 ? ` ${plural(untimed, 'turn')} without timings left out.` : '';
  return {
    value: words / minutes,
    decimals: 1,
    reason: `${targetName(target)} spoke ${words} words in ${round(minutes, 1)} minutes: ${round(words / minutes, 1)} words per minute.${left}`,
    confidence: confidenceOf(
      // The target's turns, and those that might be the target's (no speaker, or no side).
      turns.filter(
        (turn) =>
          isTargetTurn(turn, target) ||
          turn.speaker === null ||
          (target.kind === 'side' && turn.side === null),
      ),
      target,
      { speakers: target.kind !== 'all', timings: true },
    ),
    details,
  };
};
