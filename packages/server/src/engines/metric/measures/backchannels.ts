import { isQuestion } from '../../../conversation/questions.ts';
import { foldWord, wordTokens } from '../../../conversation/text.ts';

// A listener's "mm-hmm" does not take the floor (signals §3, longest_monologue). Words are compared
// as Intl.Segmenter gives them, which splits "mm-hmm" and "uh-huh" at the hyphen.
const PHRASES = ['mm hmm', 'uh huh', 'got it', 'i see', 'makes sense', 'sounds good'];
const WORDS = new Set([
  'mhm',
  'hmm',
  'yeah',
  'yes',
  'yep',
  'right',
  'okay',
  'ok',
  'sure',
  'cool',
  'great',
  'nice',
  'exactly',
  'totally',
  'absolutely',
  'true',
  'wow',
  'oh',
  'ah',
  'alright',
  'perfect',
  'gotcha',
]);
const MAX_WORDS = 3;

/** At most three words, every one a backchannel ("Mm-hmm.", "Yeah, got it."), and not a question. */
export function isBackchannel(text: string): boolean {
  const words = wordTokens(text).map((token) => foldWord(token.word));
  if (words.length === 0 || words.length > MAX_WORDS || isQuestion(text)) return false;
  let rest = ` ${words.join(' ')} `;
  for (const phrase of PHRASES) rest = rest.replaceAll(` ${phrase} `, ' ');
  return rest
    .split(' ')
    .filter(Boolean)
    .every((word) => WORDS.has(word));
}
