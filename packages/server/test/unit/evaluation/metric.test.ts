import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../../src/conversation/normalise-input.ts';
import { metricEngine } from '../../../src/engines/metric/metric-engine.ts';
import type { BrickResult } from '../../../src/evaluation/brick-result.ts';
import type { Conversation } from '../../../src/evaluation/conversation.ts';
import { brickOf, conversationOf, neverAborted, quotedText } from './fixtures.ts';

// Every expected value below was counted by hand from the conversation (docs/signals.md §3).

// Rep 19 words, Prospect 11; the Rep's longest stretch is turns 2–3 (10 words); the Rep asks 3.
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

function measure(conversation: Conversation, metric: Record<string, unknown>): Promise<BrickResult> {
  return metricEngine(brickOf({ engine: 'metric', metric }), conversation, {}, neverAborted);
}

describe('metric engine: whose talk', () => {
  it('talk_ratio is the company side by default, whoever talked most', async () => {
    const result = await measure(call, { name: 'talk_ratio' });
    expect(result.value).toBe(63.3); // Rep 19 of 30 words
    expect(result.confidence).toBe(1);
    expect(result.details).toMatchObject({
      unit: 'percent',
      basis: 'words',
      by_side: { company: 63.3, customer: 36.7 },
      by_speaker: { Rep: 63.3, Prospect: 36.7 },
    });
    expect((await measure(call, { name: 'talk_ratio', side: 'customer' })).value).toBe(36.7);
    expect((await measure(call, { name: 'talk_ratio', speaker: 'prospect' })).value).toBe(36.7);
  });

  it('talk_ratio goes by speaking time when every turn is timed', async () => {
    // Rep 10 words over 60 s, Prospect 20 words over 10 s: by time the Rep spoke 60 of 70 s.
    const conversation = conversationOf([
      ['Rep', words(10), 0, 60_000],
      ['Prospect', words(20), 60_000, 70_000],
    ]);
    const result = await measure(conversation, { name: 'talk_ratio' });
    expect(result.value).toBe(85.7);
    expect(result.details).toMatchObject({ basis: 'time', word_share: 33.3 });
  });

  it('has no value for a side no speaker is known to be on, and still lists the speakers', async () => {
    const conversation = conversationOf([
      ['Dana', 'We should talk pricing.'],
      ['Lee', 'Sure, send it over.'],
    ]);
    const result = await measure(conversation, { name: 'talk_ratio' });
    expect(result.value).toBeNull();
    expect(result.confidence).toBe(0);
    expect(result.reason).toContain('company side');
    expect(result.details).toMatchObject({ by_speaker: { Dana: 50, Lee: 50 } });
  });

  it('sides come from input.participants, by name or by a unique first name', async () => {
    const { conversation } = normaliseInput({
      transcript: 'Dana: We should talk pricing today.\nLee: Sure.',
      participants: [
        { name: 'Dana Smith', side: 'company' },
        { name: 'Lee Wong', side: 'customer' },
      ],
    });
    expect((await measure(conversation, { name: 'talk_ratio' })).value).toBe(83.3); // 5 of 6 words
  });

  it('is less than sure when part of the talk has no speaker', async () => {
    const conversation = conversationOf([
      ['Rep', 'one two three four five six'],
      ['', 'seven eight'],
    ]);
    const result = await measure(conversation, { name: 'talk_ratio' });
    expect(result.value).toBe(75);
    expect(result.confidence).toBe(0.75);
  });

  it('unlabelled text has no talk ratio or monologue, but questions can be counted for everyone', async () => {
    const { conversation } = normaliseInput({ transcript: 'so how does pricing work\nit is per seat' });
    expect((await measure(conversation, { name: 'talk_ratio' })).value).toBeNull();
    expect((await measure(conversation, { name: 'longest_monologue' })).value).toBeNull();
    const asked = await measure(conversation, { name: 'question_count', side: 'any' });
    expect(asked).toMatchObject({ value: 1, confidence: 1 });
  });
});

describe('metric engine: the measures', () => {
  it('question_count: with and without marks, in other scripts; reported speech is not a question', async () => {
    const conversation = conversationOf([
      ['Rep', 'Can you tell me more. So what’s the budget'],
      [
        'Rep',
        'He asked "why?" and left. What a day! 予算はいくらですか？ ما هي الميزانية؟ She asked, "Can we start?"',
      ],
      ['Prospect', 'Why now?'],
    ]);
    const result = await measure(conversation, { name: 'question_count' });
    expect(result.value).toBe(4);
    expect(result.details).toMatchObject({ unit: 'questions', by_side: { company: 4, customer: 1 } });
  });

  it('longest_monologue: a backchannel does not end it, a silence over 5 s does', async () => {
    const conversation = conversationOf([
      ['Rep', words(30), 0, 10_000],
      ['Prospect', 'Mm-hmm.', 10_000, 10_500],
      ['Rep', words(20), 10_500, 20_000],
      ['Rep', words(40), 310_000, 330_000], // after 290 s of silence
      ['Prospect', 'Why is that?', 330_000, 331_000],
    ]);
    const result = await measure(conversation, { name: 'longest_monologue' });
    expect(result.value).toBe(50);
    // Every speaker's and side's value, by the same rules.
    expect(result.details).toMatchObject({
      by_side: { company: 50, customer: 3 },
      by_speaker: { Rep: 50, Prospect: 3 },
    });
    expect(result.details).toMatchObject({
      unit: 'words',
      turns: 2,
      first_turn: 0,
      last_turn: 2,
      seconds: 20,
    });
  });

  it('filler_word_rate: fillers in context only', async () => {
    const conversation = conversationOf([
      ['Rep', 'What kind of CRM do you use? Do you know Gong?'],
      ['Rep', "It's kind of expensive, um, you know. I mean, it's like, fine."],
    ]);
    // Rep: 11 + 12 = 23 words; fillers: kind of, um, you know, I mean, like = 5.
    const result = await measure(conversation, { name: 'filler_word_rate' });
    expect(result.details).toMatchObject({ filler_count: 5, words: 23, unit: 'per_100_words' });
    expect(result.value).toBe(21.7);
  });

  it('interactivity: always per minute, and no value without timings', async () => {
    const result = await measure(timedCall, { name: 'interactivity' });
    expect(result.value).toBe(3.7); // 3 changes in 48.5 s
    expect(result.details).toMatchObject({ unit: 'switches_per_minute', switches: 3 });
    const untimed = await measure(call, { name: 'interactivity' });
    expect(untimed).toMatchObject({ value: null, confidence: 0 });
    expect(untimed.details).toMatchObject({ unit: 'switches_per_minute' });
  });

  it('words_per_minute and patience answer for the company side, from its timed turns', async () => {
    expect((await measure(timedCall, { name: 'words_per_minute' })).value).toBe(150); // 75 words in 30 s
    const patience = await measure(timedCall, { name: 'patience' });
    expect(patience.value).toBe(2); // the Rep answered once, after 2 s
    expect(patience.details).toMatchObject({ unit: 'seconds', answers: 1 });
    expect((await measure(timedCall, { name: 'patience', side: 'customer' })).value).toBe(0.8); // (1 + 0.5) / 2
    expect((await measure(call, { name: 'words_per_minute' })).value).toBeNull();
  });

  it('silence and overtalk need timings', async () => {
    const conversation = conversationOf([
      ['Rep', words(10), 0, 5_000],
      ['Prospect', words(5), 4_000, 8_000], // starts 1 s before the Rep ends
      ['Rep', words(5), 12_000, 15_000], // after 4 s of silence
      ['Prospect', words(5), 17_000, 19_000], // after 2 s: not silence
    ]);
    const silence = await measure(conversation, { name: 'silence' });
    expect(silence.value).toBe(4);
    expect(silence.details).toMatchObject({ unit: 'seconds', count: 1, longest_seconds: 4 });
    const overtalk = await measure(conversation, { name: 'overtalk' });
    expect(overtalk.value).toBe(1);
    expect(overtalk.details).toMatchObject({ unit: 'overlaps', seconds: 1 });
    expect((await measure(call, { name: 'silence' })).value).toBeNull();
  });

  it('quotes exactly what it counts', async () => {
    const result = await measure(call, { name: 'question_count' });
    expect(result.value).toBe(3);
    result.evidence_spans.forEach((span, i) => {
      expect(quotedText(call, span)).toBe(result.evidence[i]);
    });
    expect(result.evidence).toContain('How is the quarter going?');
  });

  it('throws for a list output: that is a mistake in the Kit', async () => {
    await expect(
      metricEngine(
        brickOf({ engine: 'metric', metric: { name: 'talk_ratio' }, output: { type: 'boolean' } }),
        call,
        {},
        neverAborted,
      ),
    ).rejects.toThrow(/is a number/);
  });
});
