import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCase, readCorpus } from '../support/corpus.ts';
import { type FixedAnswerJudge, startFixedAnswerJudge } from '../support/corpus-llm.ts';

// Every label of corpus/cases was read from its conversation, never copied from this code's output:
// a failure here means the code or the label is wrong — read the conversation again.
const cases = await readCorpus();
let judge: FixedAnswerJudge;
beforeAll(async () => {
  judge = await startFixedAnswerJudge();
});
afterAll(async () => {
  await judge?.close();
});

describe('the labelled corpus', () => {
  it('has at least 60 cases, in every format, in at least four languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.format))).toEqual(
      new Set(['turns', 'messages', 'speaker_lines', 'webvtt', 'srt', 'two_line', 'plain']),
    );
    expect(new Set(cases.map((c) => c.language)).size).toBeGreaterThanOrEqual(4);
  });

  it('has fixed model answers, hostile ones included, for llm Bricks with labels', () => {
    const answers = cases.flatMap((c) => c.llm ?? []).flatMap((l) => l.answers ?? []);
    expect(answers.length).toBeGreaterThanOrEqual(20);
    expect(answers.some((a) => a.expect.failure === 'model_refused')).toBe(true);
    expect(answers.some((a) => a.expect.error === 'output_invalid')).toBe(true);
  });

  for (const item of cases) {
    it(`${item.id}: ${item.title}`, async () => {
      const failed = (await checkCase(item, judge)).filter((check) => !check.pass);
      expect(failed.map(({ label, expected, actual }) => ({ label, expected, actual }))).toEqual([]);
    });
  }
});
