import { describe, expect, it } from 'vitest';
import {
  type PatternBudget,
  PatternQuarantine,
  SLOW_PATTERN_QUARANTINE_MS,
  scanPatterns,
} from '../../../src/engines/tracker/guarded-patterns.ts';
import { inflections } from '../../../src/engines/tracker/stem.ts';
import { createTrackerEngine } from '../../../src/engines/tracker/tracker-engine.ts';
import type { BrickResult } from '../../../src/evaluation/brick-result.ts';
import type { Conversation } from '../../../src/evaluation/conversation.ts';
import { brickOf, conversationOf, neverAborted, quotedText } from './fixtures.ts';

async function track(
  conversation: Conversation,
  tracker: Record<string, unknown>,
  output: Record<string, unknown> = { type: 'boolean' },
  definition: Record<string, unknown> = {},
): Promise<BrickResult> {
  const brick = brickOf({ engine: 'tracker', tracker, output, ...definition });
  const engine = createTrackerEngine({ quarantine: new PatternQuarantine(), patternBudgetMs: 2_000 });
  const { results } = await engine({
    bricks: [brick],
    conversation,
    context: {},
    model: {},
    workspaceId: 'ws_test',
    signal: neverAborted,
  });
  return results[brick.key]!;
}

/** Scan options of one run of workspace `ws_test`, with its own quarantine unless one is given. */
function scanOptions(timeoutMs: number, quarantine = new PatternQuarantine(), budget?: PatternBudget) {
  return { workspaceId: 'ws_test', quarantine, budget: budget ?? { remainingMs: 2_000 }, timeoutMs };
}

function expectExactEvidence(conversation: Conversation, result: BrickResult) {
  expect(result.evidence).toHaveLength(result.evidence_spans.length);
  result.evidence_spans.forEach((span, i) => {
    expect(quotedText(conversation, span)).toBe(result.evidence[i]);
  });
}

describe('tracker engine: phrases', () => {
  const call = conversationOf([
    ['Rep', 'Which tools are you on today?'],
    ['Prospect', 'We use Gong for recording. Honestly gong is fine, but pricing worries me.'],
    ['Rep', 'Got it. Our prices are flexible.'],
  ]);

  it('boolean: true when a phrase is mentioned, case-insensitively, quoting the sentence', async () => {
    const result = await track(call, { phrases: ['Gong'] });
    expect(result.value).toBe(true);
    expect(result.confidence).toBe(1);
    expect(result.evidence).toEqual([
      'We use Gong for recording.',
      'Honestly gong is fine, but pricing worries me.',
    ]);
    expect(result.reason).toBe('Mentioned: Gong (2×).');
    expectExactEvidence(call, result);
  });

  it('boolean: false with a reason naming what was looked for', async () => {
    const result = await track(call, { phrases: ['Chorus', 'Clari'] });
    expect(result).toMatchObject({ value: false, confidence: 1, evidence: [] });
    expect(result.reason).toBe('No mention of Chorus or Clari.');
  });

  it('matches on word boundaries only', async () => {
    const result = await track(call, { phrases: ['tool', 'use'] }, { type: 'number' });
    expect(result.value).toBe(2); // "tools" (stemmed) and "use"
    expect(result.details).toMatchObject({ by_term: { tool: 1, use: 1 } });
    // "gongfest" is not "gong"; the "gong" of "ding-gong" is a word of its own.
    const partial = await track(conversationOf([['Rep', 'A gongfest and a ding-gong.']]), {
      phrases: ['gong'],
    });
    expect(partial.details).toMatchObject({ matches: 1 });
    expect((await track(conversationOf([['Rep', 'A gongfest.']]), { phrases: ['gong'] })).value).toBe(false);
  });

  it('number: counts matches, stemming "price" to find "pricing" and "prices"', async () => {
    const result = await track(call, { phrases: ['price'] }, { type: 'number' });
    expect(result.value).toBe(2);
    expect(result.evidence).toEqual([
      'Honestly gong is fine, but pricing worries me.',
      'Our prices are flexible.',
    ]);
  });

  it('without stemming, only the written form (and its possessive) matches', async () => {
    const result = await track(call, { phrases: ['price'], stem: false }, { type: 'number' });
    expect(result.value).toBe(0);
    const possessive = conversationOf([['Rep', "Gong's price went up."]]);
    expect((await track(possessive, { phrases: ['gong'], stem: false }, { type: 'number' })).value).toBe(1);
  });

  it('string_list: distinct phrases as the Kit wrote them, in order of first mention, capped at max_items', async () => {
    const competitors = conversationOf([
      ['Prospect', 'We looked at chorus.ai last year, then Gong, then Chorus again, and Clari.'],
    ]);
    const phrases = ['Gong', 'Chorus', 'Clari'];
    const result = await track(competitors, { phrases }, { type: 'string_list' });
    expect(result.value).toEqual(['Chorus', 'Gong', 'Clari']);
    const capped = await track(competitors, { phrases }, { type: 'string_list', max_items: 2 });
    expect(capped.value).toEqual(['Chorus', 'Gong']);
    expect(result.reason).toBe('Mentioned: Chorus (2×), Gong (1×), Clari (1×).');
  });

  it('matches multi-word phrases across spaces or hyphens', async () => {
    const followUps = conversationOf([['Rep', 'I will send a follow-up. Another follow up next week.']]);
    const result = await track(followUps, { phrases: ['follow up'] }, { type: 'number' });
    expect(result.value).toBe(2);
  });

  it('counts only the speakers asked for', async () => {
    const result = await track(call, { phrases: ['price'], speakers: ['rep'] }, { type: 'number' });
    expect(result.value).toBe(1);
    expect(result.evidence).toEqual(['Our prices are flexible.']);
    expect(result.reason).toContain('Only rep counted.');
  });
});

describe('tracker engine: negation', () => {
  it('ignores a mention negated earlier in the same clause', async () => {
    const conversation = conversationOf([['Prospect', "We don't use Gong."]]);
    const result = await track(conversation, { phrases: ['Gong'] });
    expect(result.value).toBe(false);
    expect(result.evidence).toEqual([]);
    expect(result.reason).toBe('No mention of Gong. Ignored 1 negated mention (Gong after "don\'t").');
    expect(result.details).toMatchObject({ ignored_negated: 1 });
  });

  it('"we use Gong but not Chorus" mentions Gong only', async () => {
    const conversation = conversationOf([['Prospect', 'We use Gong but not Chorus.']]);
    const result = await track(conversation, { phrases: ['Gong', 'Chorus'] }, { type: 'string_list' });
    expect(result.value).toEqual(['Gong']);
    expect(result.evidence).toEqual(['We use Gong but not Chorus.']);
  });

  it('a negation in an earlier clause or more than five words before does not count', async () => {
    const conversation = conversationOf([
      ['Prospect', "No, we use Gong. I don't think anyone here has ever really complained about Gong."],
    ]);
    const result = await track(conversation, { phrases: ['Gong'] }, { type: 'number' });
    expect(result.value).toBe(2);
  });

  it('knows multi-word cues like "stopped using" and "no longer"', async () => {
    const conversation = conversationOf([
      ['Prospect', 'We stopped using Gong. We no longer pay for Chorus.'],
    ]);
    const result = await track(conversation, { phrases: ['Gong', 'Chorus'] }, { type: 'number' });
    expect(result.value).toBe(0);
    expect(result.details).toMatchObject({ ignored_negated: 2 });
  });

  it('counts negated mentions when negation is turned off', async () => {
    const conversation = conversationOf([['Prospect', "We don't use Gong."]]);
    expect((await track(conversation, { phrases: ['Gong'], negation: false })).value).toBe(true);
  });
});

describe('tracker engine: patterns', () => {
  const call = conversationOf([
    ['Prospect', 'Our budget is $50k this year. Next year maybe $75K.'],
    ['Rep', 'Understood, around $50K then.'],
  ]);

  it('matches case-insensitively and lists distinct matched texts', async () => {
    const result = await track(call, { patterns: [String.raw`\$\d+k`] }, { type: 'string_list' });
    expect(result.value).toEqual(['$50k', '$75K']);
    expect(result.details).toMatchObject({ by_term: { $50k: 2, $75K: 1 } });
    expectExactEvidence(call, result);
  });

  it('combines phrases and patterns without counting the same text twice', async () => {
    const result = await track(
      call,
      { phrases: ['budget'], patterns: ['budget', String.raw`\$\d+k`] },
      { type: 'number' },
    );
    expect(result.value).toBe(4);
  });

  it('gives up on a catastrophic pattern instead of hanging: no value, never false', async () => {
    const conversation = conversationOf([['Rep', `${'a'.repeat(40)}! We use Gong.`]]);
    const result = await track(conversation, { phrases: ['Gong'], patterns: ['(a+)+b'] });
    // The skipped pattern could have matched: the answer is unknown, not "true" or "false".
    expect(result.value).toBeNull();
    expect(result.confidence).toBe(0);
    expect(result.details).toMatchObject({ skipped_patterns: ['(a+)+b'], matches: 1 });
    expect(result.reason).toContain('No value: 1 pattern(s) were skipped');
    expect(result.reason).toContain(': (a+)+b.');
    const list = await track(conversation, { patterns: ['(a+)+b'] }, { type: 'string_list', max_items: 5 });
    expect(list).toMatchObject({ value: [], confidence: 0 });
  });

  it('scanPatterns keeps the matches of well-behaved patterns when another one times out', async () => {
    const scan = await scanPatterns(
      [/(a+)+b/gi, /gong/gi],
      [`${'a'.repeat(40)}!`, 'we use gong'],
      scanOptions(50),
    );
    expect(scan.timedOut).toEqual([0]);
    expect(scan.matches).toEqual([{ pattern: 1, text: 1, start: 7, end: 11, matched: 'gong' }]);
  });

  it('scanPatterns skips a pattern that recently ran past the limit, without running it again', async () => {
    const slow = /(x+)+y/gi;
    const quarantine = new PatternQuarantine();
    const first = await scanPatterns([slow], [`${'x'.repeat(40)}!`], scanOptions(50, quarantine));
    expect(first.timedOut).toEqual([0]);
    // A limit this test could not wait out: it passes only because the pattern is not run again.
    const again = await scanPatterns(
      [/gong/gi, slow],
      ['gong', `${'x'.repeat(40)}!`],
      scanOptions(600_000, quarantine),
    );
    expect(again.timedOut).toEqual([1]);
    expect(again.matches).toEqual([{ pattern: 0, text: 0, start: 0, end: 4, matched: 'gong' }]);
  });

  it("keeps quarantine per workspace: one workspace's slow pattern still runs for another", async () => {
    const slow = /(x+)+y/gi;
    const quarantine = new PatternQuarantine();
    const a = await scanPatterns([slow], [`${'x'.repeat(40)}!`], scanOptions(50, quarantine));
    expect(a.timedOut).toEqual([0]);
    const b = await scanPatterns([slow], ['xxy'], {
      ...scanOptions(50, quarantine),
      workspaceId: 'ws_other',
    });
    expect(b).toEqual({ matches: [{ pattern: 0, text: 0, start: 0, end: 3, matched: 'xxy' }], timedOut: [] });
    const aAgain = await scanPatterns([slow], ['xxy'], scanOptions(50, quarantine));
    expect(aAgain).toEqual({ matches: [], timedOut: [0] });
  });

  it('quarantines for ten minutes of its own clock, then runs the pattern again', async () => {
    const slow = /(x+)+y/gi;
    let time = 1_000_000;
    const quarantine = new PatternQuarantine({ now: () => time });
    const first = await scanPatterns([slow], [`${'x'.repeat(40)}!`], scanOptions(50, quarantine));
    expect(first.timedOut).toEqual([0]);
    time += SLOW_PATTERN_QUARANTINE_MS - 1;
    expect(await scanPatterns([slow], ['xxy'], scanOptions(600_000, quarantine))).toEqual({
      matches: [],
      timedOut: [0],
    });
    time += 1;
    expect(await scanPatterns([slow], ['xxy'], scanOptions(600_000, quarantine))).toEqual({
      matches: [{ pattern: 0, text: 0, start: 0, end: 3, matched: 'xxy' }],
      timedOut: [],
    });
  });

  it('takes the scans of several workspaces on one thread round robin, not in arrival order', async () => {
    const finished: string[] = [];
    const scan = (workspaceId: string, tag: string) =>
      scanPatterns([/gong/gi], ['gong'], { ...scanOptions(10_000), workspaceId }).then(() =>
        finished.push(tag),
      );
    // a1 is scanning when the others arrive; a2 and a3 were queued before b1.
    await Promise.all([scan('ws_a', 'a1'), scan('ws_a', 'a2'), scan('ws_a', 'a3'), scan('ws_b', 'b1')]);
    expect(finished).toEqual(['a1', 'a2', 'b1', 'a3']);
  });

  it("skips what the run's pattern budget no longer covers, without quarantining it", async () => {
    const patterns = [/(x+)+y/gi, /(z+)+y/gi];
    const texts = [`${'x'.repeat(40)}!`, `${'z'.repeat(40)}!`];
    const quarantine = new PatternQuarantine();
    const spent: PatternBudget = { remainingMs: 0 };
    // Nothing left: nothing runs (a limit this test could not wait out shows it).
    expect(await scanPatterns(patterns, texts, scanOptions(600_000, quarantine, spent))).toEqual({
      matches: [],
      timedOut: [0, 1],
    });
    // Less budget than the per-pattern limit: the patterns are cut short by the budget, not by
    // their own limit, so they are skipped on this run only.
    const budget: PatternBudget = { remainingMs: 80 };
    const cut = await scanPatterns(patterns, texts, scanOptions(10_000, quarantine, budget));
    expect(cut.timedOut).toEqual([0, 1]);
    expect(budget.remainingMs).toBeLessThanOrEqual(0);
    const later = await scanPatterns(patterns, ['xxy', 'zzy'], scanOptions(10_000, quarantine));
    expect(later.timedOut).toEqual([]);
    expect(later.matches.map((m) => m.matched)).toEqual(['xxy', 'zzy']);
  });
});

describe('tracker engine: Kit mistakes', () => {
  const conversation = conversationOf([['Rep', 'hello']]);

  it('throws for category, score and text outputs', async () => {
    await expect(
      track(conversation, { phrases: ['x'] }, { type: 'category', options: ['a', 'b'] }),
    ).rejects.toThrow(/boolean, number or string_list output, not "category"/);
    await expect(track(conversation, { phrases: ['x'] }, { type: 'text' })).rejects.toThrow(/not "text"/);
  });

  it('throws for an invalid pattern, a phrase without words, or nothing to track', async () => {
    await expect(track(conversation, { patterns: ['(unclosed'] })).rejects.toThrow(/invalid tracker pattern/);
    await expect(track(conversation, { phrases: ['++'] })).rejects.toThrow(/has no words/);
    await expect(track(conversation, {})).rejects.toThrow(/no phrases or patterns/);
  });
});

describe('inflections', () => {
  it('generates the plural, past and -ing forms of a phrase word', () => {
    expect(inflections('price')).toEqual(expect.arrayContaining(['price', 'prices', 'priced', 'pricing']));
    expect(inflections('stop')).toEqual(expect.arrayContaining(['stops', 'stopped', 'stopping']));
    expect(inflections('company')).toEqual(expect.arrayContaining(['companies']));
    expect(inflections('try')).toEqual(expect.arrayContaining(['tries', 'tried', 'trying']));
    expect(inflections('box')).toEqual(expect.arrayContaining(['boxes']));
  });

  it('never brings two different words together', () => {
    expect(inflections('new')).not.toContain('news');
    expect(inflections('rat')).not.toContain('rate');
    expect(inflections('meeting')).not.toContain('weekly');
    expect(inflections('rate')).not.toContain('rat');
  });
});

describe('tracker engine: the settings of docs/signals.md §4', () => {
  const count = async (text: string, tracker: Record<string, unknown>) =>
    (await track(conversationOf([['Prospect', text]]), tracker, { type: 'number' })).value;

  it('negation: what is and is not a negated mention', async () => {
    const counted = [
      ['I can’t wait for the demo!', 'demo'],
      ["We can't decide without a demo.", 'demo'],
      ['No budget issues though.', 'budget'],
      ['Not only Gong but also Clari.', 'Gong'],
      ['Not only Gong but also Clari.', 'Clari'],
      ["I don't know if Gong is cheaper.", 'Gong'],
      ['We use Gong today.', 'Gong'],
    ];
    for (const [text, phrase] of counted) expect(await count(text!, { phrases: [phrase] }), text).toBe(1);
    const negated = [
      ["We wouldn't consider Gong.", 'Gong'],
      ["We couldn't get a demo.", 'demo'],
      ['Nobody here uses Gong.', 'Gong'],
      ['We have no budget for this.', 'budget'],
      ['We use Gong but not Chorus.', 'Chorus'],
      ['We stopped using Clari last year.', 'Clari'],
    ];
    for (const [text, phrase] of negated) expect(await count(text!, { phrases: [phrase] }), text).toBe(0);
  });

  it('lists every counted and negated mention with who said it', async () => {
    const conversation = conversationOf([['Prospect', 'We use Gong but not Chorus.']]);
    const result = await track(conversation, { phrases: ['Gong', 'Chorus'] }, { type: 'number' });
    expect(result.details).toMatchObject({
      hits: [{ term: 'Gong', turn: 0, start: 7, end: 11, speaker: 'Prospect' }],
      negated_hits: [{ term: 'Chorus', turn: 0, start: 20, end: 26, speaker: 'Prospect', cue: 'not' }],
      hits_total: 1,
    });
  });

  it('stemming finds inflections and never a different word', async () => {
    expect(await count('Prices went up; pricing is fair; we priced it.', { phrases: ['price'] })).toBe(3);
    expect(await count('Any news?', { phrases: ['new'] })).toBe(0);
    expect(await count('The rate is fine.', { phrases: ['rat'] })).toBe(0);
    expect(await count('Our weekly sync.', { phrases: ['meeting'] })).toBe(0);
  });

  it('case_sensitive: the vendor, not the common noun; capitals too', async () => {
    const tracker = { phrases: ['Outreach'], case_sensitive: true };
    expect(await count('We use Outreach for email.', tracker)).toBe(1);
    expect(await count('Our outreach team is small.', tracker)).toBe(0);
    expect(await count('OUTREACH is what we use.', tracker)).toBe(1);
    expect(await count('Our outreach team is small.', { phrases: ['Outreach'] })).toBe(1);
  });

  it('side and as_question keep only the mentions they name', async () => {
    const conversation = conversationOf([
      ['Rep', 'Unlike Gong, we do this.'],
      ['Prospect', 'We use Gong. Is Gong worse?'],
    ]);
    const customer = await track(conversation, { phrases: ['Gong'], side: 'customer' }, { type: 'number' });
    expect(customer.value).toBe(2);
    const asked = await track(conversation, { phrases: ['Gong'], as_question: true }, { type: 'number' });
    expect(asked.value).toBe(1);
  });

  it('matches after Unicode normalisation, and inside CJK sentences', async () => {
    expect(await count('We use ＧＯＮＧ.', { phrases: ['Gong'] })).toBe(1);
    expect(await count('The cafe\u0301 is open.', { phrases: ['café'] })).toBe(1);
    expect(await count('来年の予算はまだ決まっていません。', { phrases: ['予算'] })).toBe(1);
    expect(await count('We looked at chorus.ai.', { phrases: ['Chorus'] })).toBe(1);
  });
});
