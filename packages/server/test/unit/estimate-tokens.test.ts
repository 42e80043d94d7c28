import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/models/estimate-tokens.ts';

describe('estimateTokens', () => {
  it('counts Latin text at 4 characters a token', () => {
    expect(estimateTokens('a'.repeat(400))).toBe(100);
    expect(estimateTokens('é'.repeat(400))).toBe(100);
  });

  it('counts Chinese, Japanese and Korean at a token a character, other scripts at two characters', () => {
    expect(estimateTokens('来週の火曜日で大丈夫です')).toBe(12);
    expect(estimateTokens('다음 주 화요일')).toBe(Math.ceil(2 / 4 + 6));
    expect(estimateTokens('привет')).toBe(3);
  });
});
