import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.ts';

describe('parseDuration (keys create --expires-in)', () => {
  it('reads seconds, minutes, hours, days and weeks into milliseconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(15 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('tolerates surrounding spaces and a space before the unit', () => {
    expect(parseDuration(' 30d ')).toBe(30 * 86_400_000);
    expect(parseDuration('30 d')).toBe(30 * 86_400_000);
  });

  it('refuses anything else, quoting what it was given', () => {
    for (const bad of ['30', 'd', '1.5h', '-1d', '30y', '30D', '1h30m', '']) {
      expect(() => parseDuration(bad), bad).toThrow(`"${bad}" is not a duration`);
    }
  });
});
