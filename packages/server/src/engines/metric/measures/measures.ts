import type { MetricSettings } from '../../../kits/brick.ts';
import { fillerWordRate } from './filler-word-rate.ts';
import { interactivity } from './interactivity.ts';
import { longestMonologue } from './longest-monologue.ts';
import type { Measure } from './measure.ts';
import { overtalk } from './overtalk.ts';
import { patience } from './patience.ts';
import { questionCount } from './question-count.ts';
import { silence } from './silence.ts';
import { talkRatio } from './talk-ratio.ts';
import { wordsPerMinute } from './words-per-minute.ts';

/** Every measure, and whom it is about when the Brick names no speaker or side (signals §2). */
export const MEASURES: Readonly<
  Record<MetricSettings['name'], { measure: Measure; about: 'company' | 'all' }>
> = {
  talk_ratio: { measure: talkRatio, about: 'company' },
  longest_monologue: { measure: longestMonologue, about: 'company' },
  question_count: { measure: questionCount, about: 'company' },
  filler_word_rate: { measure: fillerWordRate, about: 'company' },
  words_per_minute: { measure: wordsPerMinute, about: 'company' },
  patience: { measure: patience, about: 'company' },
  interactivity: { measure: interactivity, about: 'all' },
  silence: { measure: silence, about: 'all' },
  overtalk: { measure: overtalk, about: 'all' },
};
