import type { BrickDefinition } from '../../kits/brick.ts';
import { MAX_QUOTES, MAX_REASON_CHARS } from './llm-prompt.ts';

/** One Brick's answer made to fit where its intent is unambiguous, and what was changed. */
export interface RepairedAnswer {
  part: unknown;
  repaired: string[];
}

const optionKey = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/gu, '_');

/** Cuts text to `max` characters at the last word boundary before it (mid-word only if no space). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.search(/\s\S*$/u);
  return (space > 0 ? cut.slice(0, space) : text.slice(0, max)).trimEnd();
}

/**
 * Repairs before re-asking (SPEC §11.3): a reason over 1,000 characters cut at a word, more than 20
 * quotes cut to 20, a confidence between 1 and 100 read as a percentage, a
 * category matching an option up to case, spaces, hyphens and underscores, text over `max_chars`
 * cut at a word boundary, a list over `max_items` cut, and `null` for a list read as `[]`. Anything
 * else is left for the schema to reject.
 */
export function repairAnswer(brick: BrickDefinition, part: unknown): RepairedAnswer {
  if (typeof part !== 'object' || part === null || Array.isArray(part)) return { part, repaired: [] };
  const answer = { ...(part as Record<string, unknown>) };
  const repaired: string[] = [];
  const { confidence } = answer;
  if (typeof confidence === 'number' && confidence > 1 && confidence <= 100) {
    answer['confidence'] = confidence / 100;
    repaired.push(`confidence ${confidence} read as ${confidence}%`);
  }
  const { reason, evidence } = answer;
  if (typeof reason === 'string' && reason.length > MAX_REASON_CHARS) {
    answer['reason'] = cutAtWord(reason, MAX_REASON_CHARS);
    repaired.push(`reason cut from ${reason.length} to ${MAX_REASON_CHARS} characters at most`);
  }
  if (Array.isArray(evidence) && evidence.length > MAX_QUOTES) {
    answer['evidence'] = evidence.slice(0, MAX_QUOTES);
    repaired.push(`evidence cut from ${evidence.length} to ${MAX_QUOTES} quotes`);
  }
  const output = brick.output;
  const value = answer['value'];
  if (output.type === 'string_list' && value === null) answer['value'] = [];
  if (output.type === 'category' && typeof value === 'string' && !output.options.includes(value)) {
    const match = output.options.filter((option) => optionKey(option) === optionKey(value));
    if (match.length === 1) {
      answer['value'] = match[0];
      repaired.push(`category "${value}" read as "${match[0]}"`);
    }
  }
  if (output.type === 'text' && typeof value === 'string' && value.length > output.max_chars) {
    answer['value'] = cutAtWord(value, output.max_chars);
    repaired.push(`text cut from ${value.length} to ${output.max_chars} characters at most`);
  }
  if (output.type === 'string_list' && Array.isArray(value) && value.length > output.max_items) {
    answer['value'] = value.slice(0, output.max_items);
    repaired.push(`list cut from ${value.length} to ${output.max_items} items`);
  }
  return { part: answer, repaired };
}
