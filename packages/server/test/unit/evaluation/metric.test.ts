import { describe, expect, it } from 'vitest';
import type { BrickResult } from '../../../src/evaluation/brick-result.ts';
import type { Conversation } from '../../../src/evaluation/conversation.ts';
import { metricEngine } from '../../../src/evaluation/engines/metric.ts';
import { normaliseInput } from '../../../src/evaluation/normalise-input.ts';
import { brickOf, conversationOf, neverAborted, quotedText } from './fixtures.ts';

// Rep 19 words, Prospect 11 words; Rep's longest run is turns 2–3 (10 words); 3 questions, all Rep's.
const call = conversationOf([
  ['Rep', 'Thanks for joining today. How is the quarter going?'],
  ['Prospect', 'Busy. We are hiring.'],
  ['Rep', 'Great. Um, what tools do you use?'],
  ['Rep', 'And who decides?'],
  ['Prospect', 'I decide, you know, with my boss.'],
]);

const words = (count: number) => Array.from({ length: count }, () => 'word').join(' ');
// Rep: 50 words in 20 s, then 25 words in 10 s after a 2 s pause; Prospect: 20 words in 10 s after
// 1 s, 10 words in 5 s after 0.5 s. 48.5 s from first start to last end.
const timedCall = conversationOf([
  ['Rep', words(50), 0, 20_000],
  ['Prospect', words(20), 21_000, 31_000],
  ['Rep', words(25), 33_000, 43_000],
  ['Prospect', words(10), 43_500, 48_500],
]);

function measure(
  conversation: Conversation,
  metric: Record<string, unknown>,
  definition: Record<string, unknown> = {},
): Promise<BrickResult> {
  return metricEngine(brickOf({ engine: 'metric', metric, ...definition }), conversation, {}, neverAborted);
}

function expectExactEvidence(conversation: Conversation, result: BrickResult) {
  expect(result.evidence).toHaveLength(result.evidence_spans.length);
  result.evidence_spans.forEach((span, i) => {
    expect(quotedText(conversation, span)).toBe(result.evidence[i]);
  });
}

describe('metric engine', () => {
  it('talk_ratio: percent of words of the speaker who talked most, with every speaker in details', async () => {
    const result = await measure(call, { name: 'talk_ratio' });
    expect(result.value).toBe(63.3);
    expect(result.confidence).toBe(1);
    expect(result.details).toMatchObject({ speaker: 'Rep', by_speaker: { Rep: 63.3, Prospect: 36.7 } });
    expect(result.reason).toBe('Rep spoke 63.3% of the words (19 of 30).');
    expect(result.brick_version).toBe(1);
  });

  it('talk_ratio: for a named speaker, matched case-insensitively', async () => {
    const result = await measure(call, { name: 'talk_ratio', speaker: 'prospect' });
    expect(result.value).toBe(36.7);
  });

  it('gives no value when the named speaker never speaks', async () => {
    const result = await measure(call, { name: 'talk_ratio', speaker: 'Manager' });
    expect(result).toMatchObject({ value: null, confidence: 0, evidence: [] });
    expect(result.reason).toBe('Speaker "Manager" does not speak in this conversation.');
  });

  it('longest_monologue: most words in consecutive turns of one speaker, quoting its first sentence', async () => {
    const result = await measure(call, { name: 'longest_monologue' });
    expect(result.value).toBe(10);
    expect(result.details).toMatchObject({ speaker: 'Rep', turns: 2, first_turn: 2, last_turn: 3 });
    expect(result.evidence).toEqual(['Great.']);
    expect(result.evidence_spans).toEqual([{ turn: 2, start: 0, end: 6 }]);
    const prospect = await measure(call, { name: 'longest_monologue', speaker: 'Prospect' });
    expect(prospect.value).toBe(7);
    expect(prospect.evidence).toEqual(['I decide, you know, with my boss.']);
  });

  it('longest_monologue: cuts the quote at 200 characters on a word boundary', async () => {
    const long = conversationOf([['Rep', `${'pricing '.repeat(40).trim()} and more.`]]);
    const result = await measure(long, { name: 'longest_monologue' });
    expect(result.evidence[0]!.length).toBeLessThanOrEqual(200);
    expect(result.evidence[0]).toMatch(/^pricing( pricing)+$/);
    expectExactEvidence(long, result);
  });

  it('question_count: sentences ending in "?", quoted, optionally for one speaker', async () => {
    const result = await measure(call, { name: 'question_count' });
    expect(result.value).toBe(3);
    expect(result.evidence).toEqual([
      'How is the quarter going?',
      'Um, what tools do you use?',
      'And who decides?',
    ]);
    expect(result.details).toMatchObject({ by_speaker: { Rep: 3 } });
    expectExactEvidence(call, result);
    const prospect = await measure(call, { name: 'question_count', speaker: 'Prospect' });
    expect(prospect.value).toBe(0);
    expect(prospect.evidence).toEqual([]);
  });

  it('question_count: quotes at most five questions but counts them all', async () => {
    const many = conversationOf([['Rep', 'One? Two? Three? Four? Five? Six? Seven.']]);
    const result = await measure(many, { name: 'question_count' });
    expect(result.value).toBe(6);
    expect(result.evidence).toEqual(['One?', 'Two?', 'Three?', 'Four?', 'Five?']);
  });

  it('interactivity: speaker switches per 100 words without timings, and says so', async () => {
    const result = await measure(call, { name: 'interactivity' });
    expect(result.value).toBe(10); // 3 switches in 30 words
    expect(result.details).toMatchObject({ switches: 3, unit: 'switches_per_100_words' });
    expect(result.reason).toMatch(/per 100 words/);
  });

  it('interactivity: speaker switches per minute with timings', async () => {
    const result = await measure(timedCall, { name: 'interactivity' });
    expect(result.value).toBe(3.71); // 3 switches in 48.5 s
    expect(result.details).toMatchObject({ switches: 3, unit: 'switches_per_minute' });
  });

  it('filler_word_rate: fillers per 100 words, "like" only as "like,"', async () => {
    const result = await measure(call, { name: 'filler_word_rate' });
    expect(result.value).toBe(6.67); // "Um" and "you know" in 30 words
    expect(result.details).toMatchObject({ fillers: { um: 1, 'you know': 1 }, filler_count: 2, words: 30 });
    expect(result.evidence).toEqual(['Um, what tools do you use?', 'I decide, you know, with my boss.']);
    expectExactEvidence(call, result);

    const likes = conversationOf([
      ['Rep', "I'd like to show you, like, basically everything. It looks like rain. Uh-huh."],
    ]);
    const likeResult = await measure(likes, { name: 'filler_word_rate' });
    expect(likeResult.details).toMatchObject({ fillers: { like: 1, basically: 1 }, filler_count: 2 });
  });

  it('filler_word_rate: limited to one speaker', async () => {
    const result = await measure(call, { name: 'filler_word_rate', speaker: 'Rep' });
    expect(result.value).toBe(5.26); // 1 filler in 19 words
  });

  it('words_per_minute: words over speaking time, overall and per speaker', async () => {
    expect((await measure(timedCall, { name: 'words_per_minute' })).value).toBe(140); // 105 words in 45 s
    expect((await measure(timedCall, { name: 'words_per_minute', speaker: 'Rep' })).value).toBe(150);
    expect((await measure(timedCall, { name: 'words_per_minute', speaker: 'Prospect' })).value).toBe(120);
  });

  it('words_per_minute: uses the next timestamp as the end of a turn in a timestamped transcript', async () => {
    const { conversation } = normaliseInput({
      transcript: `[00:00] Rep: ${words(40)}\n[00:20] Prospect: ok`,
    });
    const result = await measure(conversation, { name: 'words_per_minute', speaker: 'Rep' });
    expect(result.value).toBe(120);
  });

  it('words_per_minute: no value and confidence 0 without timings', async () => {
    const result = await measure(call, { name: 'words_per_minute' });
    expect(result).toMatchObject({ value: null, confidence: 0 });
    expect(result.reason).toMatch(/needs turn timings/);
  });

  it('patience: average pause before the speaker answers, in seconds', async () => {
    expect((await measure(timedCall, { name: 'patience' })).value).toBe(2); // Rep (talked most)
    const prospect = await measure(timedCall, { name: 'patience', speaker: 'Prospect' });
    expect(prospect.value).toBe(0.75);
    expect(prospect.details).toMatchObject({ answers: 2, longest_pause_seconds: 1 });
  });

  it('patience: no value without end times', async () => {
    const result = await measure(call, { name: 'patience' });
    expect(result).toMatchObject({ value: null, confidence: 0 });
    expect(result.reason).toMatch(/start and end times/);
  });

  it('rounds and clamps into the output min/max', async () => {
    const result = await measure(call, { name: 'talk_ratio' }, { output: { type: 'number', max: 50 } });
    expect(result.value).toBe(50);
    const score = await measure(
      call,
      { name: 'question_count' },
      { output: { type: 'score', min: 0, max: 2 } },
    );
    expect(score.value).toBe(2);
  });

  it('honours evidence: none and confidence: none', async () => {
    const result = await measure(call, { name: 'question_count' }, { evidence: 'none', confidence: 'none' });
    expect(result).toMatchObject({ value: 3, confidence: null, evidence: [], evidence_spans: [] });
    const missing = await measure(call, { name: 'words_per_minute' }, { confidence: 'none' });
    expect(missing).toMatchObject({ value: null, confidence: null });
  });

  it('throws for an output type that cannot hold a number, or missing settings (Kit mistakes)', async () => {
    await expect(measure(call, { name: 'talk_ratio' }, { output: { type: 'boolean' } })).rejects.toThrow(
      /output type is "boolean"/,
    );
    await expect(metricEngine(brickOf({ engine: 'metric' }), call, {}, neverAborted)).rejects.toThrow(
      /without metric settings/,
    );
  });

  it('stops when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by user'));
    await expect(
      metricEngine(
        brickOf({ engine: 'metric', metric: { name: 'talk_ratio' } }),
        call,
        {},
        controller.signal,
      ),
    ).rejects.toThrow('cancelled by user');
  });
});
