import { sentenceRanges } from '../../../conversation/sentences.ts';
import { countWords } from '../../../conversation/text.ts';
import type { EvidenceSpan } from '../../../evaluation/brick-result.ts';
import { windowAround } from '../../../evaluation/text-ranges.ts';
import { findFillers } from './fillers.ts';
import {
  absentTarget,
  confidenceOf,
  isTargetTurn,
  MAX_QUOTES,
  type Measure,
  noBasis,
  plural,
  round,
  targetName,
  toSpan,
} from './measure.ts';

/** Fillers per 100 of the target's words (signals §3). */
export const fillerWordRate: Measure = (conversation, target) => {
  const turns = conversation.turns;
  const fillers: Record<string, number> = {};
  const spans: EvidenceSpan[] = [];
  let count = 0;
  let words = 0;
  for (const turn of turns) {
    if (!isTargetTurn(turn, target)) continue;
    words += countWords(turn.text);
    const sentences = sentenceRanges(turn.text);
    for (const filler of findFillers(turn.text)) {
      count++;
      fillers[filler.filler] = (fillers[filler.filler] ?? 0) + 1;
      const sentence = sentences.find((range) => range.end > filler.start);
      if (sentence && spans.length < MAX_QUOTES && spans.at(-1)?.start !== sentence.start) {
        spans.push(toSpan(turn, windowAround(turn.text, sentence, filler, 300)));
      }
    }
  }
  const details: Record<string, unknown> = { unit: 'per_100_words', fillers, filler_count: count, words };
  const absent = absentTarget(turns, target);
  if (absent) return noBasis(absent, details);
  if (words === 0) return noBasis('There are no words to measure filler words on.', details);
  const rate = (100 * count) / words;
  return {
    value: rate,
    decimals: 1,
    reason: `${targetName(target)} used ${plural(count, 'filler')} in ${words} words: ${round(rate, 1)} per 100 words.`,
    confidence: confidenceOf(turns, target, { speakers: target.kind !== 'all', timings: false }),
    spans,
    details,
  };
};
