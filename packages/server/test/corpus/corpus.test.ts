import { describe, expect, it } from 'vitest';
import { checkCase, readCorpus } from '../support/corpus.ts';

// Every label of corpus/cases was read from its conversation, never copied from this code's output:
// a failure here means the code or the label is wrong — read the conversation again.
const cases = await readCorpus();

describe('the labelled corpus', () => {
  it('has at least 60 cases, in every format, in at least four languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.format))).toEqual(
      new Set(['turns', 'messages', 'speaker_lines', 'webvtt', 'srt', 'two_line', 'plain']),
    );
    expect(new Set(cases.map((c) => c.language)).size).toBeGreaterThanOrEqual(4);
  });

  for (const item of cases) {
    it(`${item.id}: ${item.title}`, async () => {
      const failed = (await checkCase(item)).filter((check) => !check.pass);
      expect(failed.map(({ label, expected, actual }) => ({ label, expected, actual }))).toEqual([]);
    });
  }
});
