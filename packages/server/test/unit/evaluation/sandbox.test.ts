import { describe, expect, it } from 'vitest';
import { sandboxResult } from '../../../src/evaluation/sandbox.ts';
import { brickOf, conversationOf, quotedText } from './fixtures.ts';

const conversation = conversationOf([
  ['Rep', 'What drove the urgency? Tell me about the timeline.'],
  ['Prospect', 'Our renewal is in March. The board wants a decision before then.'],
]);
const conversationWords = new Set(
  conversation.turns.flatMap((turn) => turn.text.toLowerCase().match(/\p{L}+/gu) ?? []),
);

const outputs: Record<string, Record<string, unknown>> = {
  boolean: { type: 'boolean' },
  score: { type: 'score', min: 1, max: 5 },
  number: { type: 'number', min: 10, max: 20, unit: 'minutes' },
  open_number: { type: 'number' },
  category: { type: 'category', options: ['early', 'mid', 'late'] },
  string_list: { type: 'string_list', max_items: 3 },
  text: { type: 'text', max_chars: 12 },
};

describe('sandboxResult', () => {
  it('gives a schema-valid value for every output type, with one real quote and a confidence in 0.5–0.95', () => {
    for (const seed of ['seed-a', 'seed-b', 'seed-c', 'seed-d', 'seed-e']) {
      for (const [key, output] of Object.entries(outputs)) {
        const result = sandboxResult(brickOf({ key, output, engine: 'llm', version: 3 }), conversation, seed);
        const value = result.value;
        switch (key) {
          case 'boolean':
            expect(typeof value).toBe('boolean');
            break;
          case 'score':
            expect(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5).toBe(true);
            break;
          case 'number':
            expect((value as number) >= 10 && (value as number) <= 20).toBe(true);
            break;
          case 'open_number':
            expect((value as number) >= 0 && (value as number) <= 100).toBe(true);
            break;
          case 'category':
            expect(['early', 'mid', 'late']).toContain(value);
            break;
          case 'string_list': {
            const items = value as string[];
            expect(items.length === 1 || items.length === 2).toBe(true);
            for (const item of items) expect(conversationWords.has(item)).toBe(true);
            expect(new Set(items).size).toBe(items.length);
            break;
          }
          case 'text':
            expect(typeof value === 'string' && value.length > 0 && value.length <= 12).toBe(true);
            break;
        }
        expect(result.reason.startsWith('Sandbox run: placeholder output')).toBe(true);
        expect(result.brick_version).toBe(3);
        expect(result.confidence).toBeGreaterThanOrEqual(0.5);
        expect(result.confidence).toBeLessThanOrEqual(0.95);
        expect(result.evidence).toHaveLength(1);
        expect(quotedText(conversation, result.evidence_spans[0]!)).toBe(result.evidence[0]);
      }
    }
  });

  it('is deterministic from the seed and Brick key, and varies with them', () => {
    const brick = brickOf({ key: 'deal_stage', output: { type: 'score', min: 0, max: 1000 }, engine: 'llm' });
    const first = sandboxResult(brick, conversation, 'input-hash-1');
    expect(sandboxResult(brick, conversation, 'input-hash-1')).toEqual(first);
    const others = ['input-hash-2', 'input-hash-3', 'input-hash-4'].map((seed) =>
      sandboxResult(brick, conversation, seed),
    );
    const otherKey = sandboxResult({ ...brick, key: 'deal_size' }, conversation, 'input-hash-1');
    const values = new Set(
      [first, ...others, otherKey].map((result) => `${result.value}/${result.confidence}`),
    );
    expect(values.size).toBeGreaterThan(1);
  });

  it('honours evidence: none and confidence: none', () => {
    const brick = brickOf({
      output: { type: 'boolean' },
      engine: 'llm',
      evidence: 'none',
      confidence: 'none',
    });
    const result = sandboxResult(brick, conversation, 'seed');
    expect(result).toMatchObject({ confidence: null, evidence: [], evidence_spans: [] });
  });

  it('respects max_items of 1', () => {
    for (const seed of ['1', '2', '3', '4', '5', '6']) {
      const brick = brickOf({ output: { type: 'string_list', max_items: 1 }, engine: 'llm' });
      expect(sandboxResult(brick, conversation, seed).value).toHaveLength(1);
    }
  });
});
