import { questionRanges } from '../../../conversation/questions.ts';
import type { EvidenceSpan } from '../../../evaluation/brick-result.ts';
import { limitRange } from '../../../evaluation/text-ranges.ts';
import {
  absentTarget,
  confidenceOf,
  isTargetTurn,
  MAX_QUOTES,
  type Measure,
  noBasis,
  plural,
  targetName,
  toSpan,
  UNKNOWN,
} from './measure.ts';

/** Questions the target asked (signals §1.2, §3): each question sentence once. */
export const questionCount: Measure = (conversation, target) => {
  const turns = conversation.turns;
  const bySpeaker: Record<string, number> = {};
  const bySide: Record<string, number> = {};
  const questions: EvidenceSpan[] = [];
  let count = 0;
  for (const turn of turns) {
    for (const range of questionRanges(turn.text)) {
      const speaker = turn.speaker ?? UNKNOWN;
      const side = turn.side ?? UNKNOWN;
      bySpeaker[speaker] = (bySpeaker[speaker] ?? 0) + 1;
      bySide[side] = (bySide[side] ?? 0) + 1;
      if (!isTargetTurn(turn, target)) continue;
      count++;
      questions.push(toSpan(turn, limitRange(turn.text, range, 300, 'end')));
    }
  }
  const details: Record<string, unknown> = { unit: 'questions', by_side: bySide, by_speaker: bySpeaker };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  details.questions = questions.slice(0, 200);
  return {
    value: count,
    decimals: 0,
    reason: `${targetName(target)} asked ${plural(count, 'question')}.`,
    confidence: confidenceOf(turns, target, { speakers: target.kind !== 'all', timings: false }),
    spans: questions.slice(0, MAX_QUOTES),
    details,
  };
};
