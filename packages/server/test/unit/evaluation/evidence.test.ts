import { describe, expect, it } from 'vitest';
import { locateItem, locateQuote, verifyEvidence } from '../../../src/evaluation/evidence.ts';
import { conversationOf, quotedText } from './fixtures.ts';

const conversation = conversationOf([
  ['Rep', 'What drove the urgency?'],
  ['Prospect', 'Honestly, our renewal is in March and we’re   locked in until then.'],
  ['Rep', 'Got it — so the “board” wants a decision first?'],
]);

describe('locateQuote', () => {
  it('finds an exact quote with turn-relative offsets', () => {
    const span = locateQuote(conversation, 'our renewal is in March');
    expect(span).toEqual({ turn: 1, start: 10, end: 33 });
    expect(quotedText(conversation, span!)).toBe('our renewal is in March');
  });

  it('tolerates case and whitespace differences and returns the text as written in the turn', () => {
    const span = locateQuote(conversation, '  OUR RENEWAL\n is   in march ');
    expect(quotedText(conversation, span!)).toBe('our renewal is in March');
  });

  it('tolerates a "Speaker: " prefix, and looks in that speaker\'s turns', () => {
    const span = locateQuote(conversation, 'Rep: what drove the urgency?');
    expect(span).toEqual({ turn: 0, start: 0, end: 23 });
    expect(locateQuote(conversation, 'Prospect: what drove the urgency?')).toBeNull();
  });

  it('tolerates straight quotes for typographic ones, in both directions', () => {
    expect(quotedText(conversation, locateQuote(conversation, "we're locked in")!)).toBe('we’re locked in');
    expect(quotedText(conversation, locateQuote(conversation, 'so the "board" wants')!)).toBe(
      'so the “board” wants',
    );
    expect(quotedText(conversation, locateQuote(conversation, 'Got it - so')!)).toBe('Got it — so');
  });

  it('tolerates wrapping quotation marks and a trailing full stop the turn does not have', () => {
    expect(quotedText(conversation, locateQuote(conversation, '"What drove the urgency"')!)).toBe(
      'What drove the urgency',
    );
    expect(quotedText(conversation, locateQuote(conversation, 'locked in until then!')!)).toBe(
      'locked in until then',
    );
  });

  it('does not find invented quotes or quotes spanning two turns', () => {
    expect(locateQuote(conversation, 'we signed with Gong last year')).toBeNull();
    expect(locateQuote(conversation, 'urgency? Honestly')).toBeNull();
    expect(locateQuote(conversation, '   ')).toBeNull();
  });
});

describe('verifyEvidence', () => {
  it('splits a quote across two turns into one span per turn, each evidence on its own', () => {
    const joined = verifyEvidence(conversation, [
      { turn: 1, quote: 'What drove the urgency? Honestly, our renewal is in March' },
    ]);
    expect(joined.evidence).toEqual(['What drove the urgency?', 'Honestly, our renewal is in March']);
    expect(joined.spans).toEqual([
      { turn: 0, start: 0, end: 23 },
      { turn: 1, start: 0, end: 33 },
    ]);
    expect(joined.found).toBe(1);
    // With the next speaker's label between the two parts, as a model copies the transcript.
    const labelled = verifyEvidence(conversation, ['locked in until then. Rep: Got it — so the “board”']);
    expect(labelled.evidence).toEqual(['locked in until then.', 'Got it — so the “board”']);
    // One word of each turn is not evidence in either.
    expect(verifyEvidence(conversation, ['urgency? Honestly']).dropped).toHaveLength(1);
    // Turns that do not follow each other are not joined.
    expect(verifyEvidence(conversation, ['What drove the urgency? Got it — so the']).dropped).toHaveLength(1);
  });

  it('keeps found quotes as written in the turn, drops invented ones, and dedupes identical spans', () => {
    const verified = verifyEvidence(conversation, [
      'RENEWAL IS IN MARCH',
      'We already bought Chorus.',
      'renewal is in march',
      'Rep: What drove the urgency?',
    ]);
    expect(verified.evidence).toEqual(['renewal is in March', 'What drove the urgency?']);
    expect(verified.spans).toEqual([
      { turn: 1, start: 14, end: 33 },
      { turn: 0, start: 0, end: 23 },
    ]);
    expect(verified.dropped).toEqual([{ quote: 'We already bought Chorus.', problem: 'not_found' }]);
  });
});

describe('quote rules (SPEC §11.2)', () => {
  const call = conversationOf([
    ['Rep', 'Could we meet on Tuesday at 2pm?'],
    ['Prospect', 'Yes.'],
    ['Prospect', 'Okay, Tuesday at 2pm works for us, and the budget is approved by our CFO today.'],
    ['Prospect', '来週の火曜日で大丈夫です'],
    ['Rep', 'The price is final.'],
  ]);

  it('looks in the named turn first, then anywhere', () => {
    expect(locateQuote(call, 'Tuesday at 2pm', 2)).toMatchObject({ turn: 2 });
    expect(locateQuote(call, 'Tuesday at 2pm', 1)).toMatchObject({ turn: 0 });
    expect(locateQuote(call, 'Tuesday at 2pm')).toMatchObject({ turn: 0 });
  });

  it('needs two words, unless the quote is the whole turn', () => {
    expect(verifyEvidence(call, ['a']).dropped).toEqual([{ quote: 'a', problem: 'too_short' }]);
    expect(verifyEvidence(call, ['Tuesday']).dropped).toEqual([{ quote: 'Tuesday', problem: 'too_short' }]);
    expect(locateQuote(call, 'yes')).toMatchObject({ turn: 1 });
    expect(locateQuote(call, 'Yes.')).toMatchObject({ turn: 1 });
  });

  it('matches on word boundaries only', () => {
    expect(locateQuote(call, 'uesday at 2p')).toBeNull();
    expect(locateQuote(call, 'at 2pm works')).toMatchObject({ turn: 2 });
  });

  it('compares after NFKC, and counts each character of unspaced scripts as a word', () => {
    expect(quotedText(call, locateQuote(call, 'Ｔｈｅ ｐｒｉｃｅ is final')!)).toBe('The price is final');
    expect(locateQuote(call, '火曜日')).toMatchObject({ turn: 3 });
  });

  it('keeps a near-verbatim quote as approximate, with its similarity and the real text', () => {
    const dropped = locateQuote(call, 'Okay Tuesday at 2pm works for us and the budget is approved')!;
    expect(dropped).toMatchObject({ turn: 2, approximate: true, similarity: 1 });
    expect(quotedText(call, dropped)).toBe('Okay, Tuesday at 2pm works for us, and the budget is approved');
    const oneWord = locateQuote(call, 'Tuesday at 2pm works for us, and the budget was approved by our CFO')!;
    expect(oneWord).toMatchObject({ turn: 2, approximate: true, similarity: 0.93 });
    expect(quotedText(call, oneWord)).toBe(
      'Tuesday at 2pm works for us, and the budget is approved by our CFO',
    );
    expect(locateQuote(call, 'Tuesday at 3pm works for us')).toBeNull();
  });
});

describe('locateItem (items: quoted)', () => {
  const call = conversationOf([
    ['Rep', 'Who handles outreach on your side, and which tools are you comparing?'],
    ['Prospect', 'Mostly Gong, plus Outreach for sequences. We pay 40k a year, 5% more than before.'],
    ['Rep', 'Gong’s pricing is a topic for another call.'],
    ['Prospect', 'Yes.'],
  ]);
  const item = (text: string) => {
    const span = locateItem(call, text);
    return span ? quotedText(call, span) : null;
  };

  it('keeps a one-word name or number found as a whole word, as the conversation writes it', () => {
    expect(item('GONG')).toBe('Gong');
    expect(locateItem(call, 'gong')).toMatchObject({ turn: 1 });
    expect(item('40k')).toBe('40k');
    expect(item('5%')).toBe('5%');
    expect(item('"Gong"')).toBe('Gong');
  });

  it('binds a name to an occurrence written as the item writes it, else to the first', () => {
    expect(locateItem(call, 'Outreach')).toMatchObject({ turn: 1 });
    expect(item('Outreach')).toBe('Outreach');
    expect(locateItem(call, 'OUTREACH')).toMatchObject({ turn: 0 });
    expect(item('OUTREACH')).toBe('outreach');
  });

  it('drops a one-word item that is not a whole word of the conversation', () => {
    expect(item('Clari')).toBeNull();
    expect(item('Gon')).toBeNull();
    expect(item('Gongs')).toBeNull();
    expect(item('40')).toBeNull();
  });

  it('drops a lone letter or function word, said or not, unless it is the whole turn', () => {
    expect(item('a')).toBeNull();
    expect(item('the')).toBeNull();
    expect(item('you')).toBeNull();
    expect(item('yes')).toBe('Yes');
  });

  it('keeps a function word where the conversation writes it as a name, as the item does', () => {
    const names = conversationOf([
      ['Rep', 'Will you loop in Will from IT before May?'],
      ['Prospect', 'Sure. Our US team signs off, so let us know. may I add one thing?'],
    ]);
    const named = (text: string) => {
      const span = locateItem(names, text);
      return span ? { turn: span.turn, said: quotedText(names, span), at: span.start } : null;
    };
    // "loop in Will": the second Will, not the one that starts the question.
    expect(named('Will')).toEqual({ turn: 0, said: 'Will', at: 17 });
    expect(named('IT')).toEqual({ turn: 0, said: 'IT', at: 27 });
    expect(named('May')).toEqual({ turn: 0, said: 'May', at: 37 });
    expect(named('US')).toEqual({ turn: 1, said: 'US', at: 10 });
  });

  it('drops a function word said only as a word, at a sentence start, or in a shouted turn', () => {
    const plain = conversationOf([
      ['Rep', 'Will you send it? May I call on Friday?'],
      ['Prospect', 'Let us know.\nMay works, but IT IS BUSY.'],
      ['Rep', 'WE NEED IT NOW'],
    ]);
    const said = (text: string) => locateItem(plain, text);
    expect(said('Will')).toBeNull();
    expect(said('will')).toBeNull();
    expect(said('May')).toBeNull();
    expect(said('US')).toBeNull();
    expect(said('us')).toBeNull();
    // "IT IS BUSY" is in a turn that has lowercase letters: there it is written as an acronym.
    expect(said('IT')).toMatchObject({ turn: 1 });
    expect(
      locateItem(conversationOf([['Rep', 'WE NEED IT NOW']]), 'IT'),
      'an all-capitals turn marks no acronym',
    ).toBeNull();
  });

  it('reads a sentence end through closing quotes, a title as no sentence end, and an asking auxiliary', () => {
    const said = (turn: string, item: string) => {
      const c = conversationOf([['Rep', turn]]);
      const span = locateItem(c, item);
      return span ? quotedText(c, span) : null;
    };
    expect(said('She said “we are ready.” May I add something?', 'May')).toBeNull();
    expect(said('(We agreed on that.) Will you sign?', 'Will')).toBeNull();
    expect(said('Our sponsor is Dr. May from finance.', 'May')).toBe('May');
    expect(said('Sure, Will you send the deck?', 'Will')).toBeNull();
    expect(said('He asked "Will you come?" twice.', 'Will')).toBeNull();
    expect(said('We start in May, if IT agrees.', 'May')).toBe('May');
    // A lone letter with a mark is still a lone letter.
    expect(said('Me? I. Well, maybe.', 'I.')).toBeNull();
  });

  it("keeps a participant's name at a sentence start, where another name would be dropped", () => {
    const withWill = conversationOf([
      ['Rep', 'Thanks. Will will send the contract today.'],
      ['Will Turner', 'Yes, I will.'],
    ]);
    expect(locateItem(withWill, 'Will')).toEqual({ turn: 0, start: 8, end: 12 });
    const without = conversationOf([
      ['Rep', 'Thanks. Will will send the contract today.'],
      ['Prospect', 'Yes, I will.'],
    ]);
    expect(locateItem(without, 'Will')).toBeNull();
    // Still not when it asks.
    const asking = conversationOf([
      ['Rep', 'Will you send it?'],
      ['Will Turner', 'Yes.'],
    ]);
    expect(locateItem(asking, 'Will')).toBeNull();
  });

  it('takes typographic and plain apostrophes as the same writing', () => {
    const c = conversationOf([['Prospect', "IT's budget is fixed, and IT’s team agrees."]]);
    expect(quotedText(c, locateItem(c, 'IT’s')!)).toBe("IT's");
  });

  it('finds no word inside a contraction, but keeps the word before a possessive', () => {
    const c = conversationOf([['Prospect', "I don't think so; Gong's price won't move."]]);
    expect(locateItem(c, 'Don')).toBeNull();
    expect(locateItem(c, 'Won')).toBeNull();
    expect(quotedText(c, locateItem(c, 'Gong')!)).toBe('Gong');
  });

  it('leaves evidence at two words: one word of a turn is still not a quote', () => {
    expect(locateQuote(call, 'Gong')).toBeNull();
    expect(verifyEvidence(call, [{ turn: 1, quote: 'Gong' }]).dropped).toEqual([
      { quote: 'Gong', problem: 'too_short' },
    ]);
  });
});
