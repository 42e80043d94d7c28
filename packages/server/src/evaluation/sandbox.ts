import { createHash } from 'node:crypto';
import { sentenceRanges } from '../conversation/sentences.ts';
import { wordTokens } from '../conversation/text.ts';
import type { BrickDefinition } from '../kits/brick.ts';
import type { BrickResult, EvidenceSpan } from './brick-result.ts';
import { buildResult } from './build-result.ts';
import type { Conversation } from './conversation.ts';
import { limitRange } from './text-ranges.ts';

export const SANDBOX_REASON = 'Sandbox run: placeholder output, no model was called.';

/**
 * Schema-valid placeholder output for a sandbox run (SPEC §3.8): the same seed and Brick give the
 * same result every time, and its evidence is a real quote of the conversation, so clients can
 * exercise their whole integration without a model.
 */
export function sandboxResult(brick: BrickDefinition, conversation: Conversation, seed: string): BrickResult {
  const draw = drawsFrom(`${seed}\u0000${brick.key}`);
  const value = placeholderValue(brick, conversation, draw);
  const spans = brick.evidence === 'none' ? [] : placeholderQuote(conversation, draw);
  const confidence = Math.round((0.5 + draw() * 0.45) * 100) / 100;
  return buildResult(brick, conversation, { value, confidence, reason: SANDBOX_REASON, spans });
}

/** Numbers in [0, 1) from SHA-256 of the seed and a counter: deterministic, and well spread. */
function drawsFrom(seed: string): () => number {
  let block = Buffer.alloc(0);
  let counter = 0;
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
      offset = 0;
    }
    const drawn = block.readUInt32BE(offset) / 2 ** 32;
    offset += 4;
    return drawn;
  };
}

function placeholderValue(brick: BrickDefinition, conversation: Conversation, draw: () => number): unknown {
  const output = brick.output;
  switch (output.type) {
    case 'boolean':
      return draw() < 0.5;
    case 'score':
      return numberBetween(output.min, output.max, draw());
    case 'number': {
      const min = output.min ?? (output.max !== undefined ? output.max - 100 : 0);
      const max = output.max ?? min + 100;
      return numberBetween(min, max, draw());
    }
    case 'category':
      return output.options[Math.floor(draw() * output.options.length)] ?? output.options[0];
    case 'string_list':
      return placeholderWords(conversation, Math.min(output.max_items, draw() < 0.5 ? 1 : 2), draw);
    case 'text':
      return `Placeholder text for "${brick.name}".`.slice(0, output.max_chars);
  }
}

/** Whole numbers between whole bounds, two decimals otherwise; always within [min, max]. */
function numberBetween(min: number, max: number, unit: number): number {
  if (Number.isInteger(min) && Number.isInteger(max))
    return Math.min(max, min + Math.floor(unit * (max - min + 1)));
  return Math.min(max, Math.max(min, Math.round((min + unit * (max - min)) * 100) / 100));
}

/** Distinct words of four letters or more from the conversation, so lists look like real output. */
function placeholderWords(conversation: Conversation, count: number, draw: () => number): string[] {
  const words = new Set<string>();
  for (const turn of conversation.turns) {
    for (const token of wordTokens(turn.text)) {
      if (/^\p{L}{4,}$/u.test(token.word)) words.add(token.word.toLowerCase());
    }
    if (words.size >= 500) break;
  }
  const pool = [...words];
  if (pool.length === 0) return ['placeholder'];
  const picked: string[] = [];
  let at = Math.floor(draw() * pool.length);
  while (picked.length < Math.min(count, pool.length)) {
    picked.push(pool[at % pool.length] ?? 'placeholder');
    at++;
  }
  return picked;
}

/** One sentence (at most 200 characters) of a turn chosen by the seed. */
function placeholderQuote(conversation: Conversation, draw: () => number): EvidenceSpan[] {
  const turn = conversation.turns[Math.floor(draw() * conversation.turns.length)];
  if (!turn) return [];
  const sentences = sentenceRanges(turn.text);
  const sentence = sentences[Math.floor(draw() * sentences.length)] ?? { start: 0, end: turn.text.length };
  const range = limitRange(turn.text, sentence, 200, 'start');
  return [{ turn: turn.index, start: range.start, end: range.end }];
}
