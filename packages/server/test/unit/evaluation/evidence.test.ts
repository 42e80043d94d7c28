import { describe, expect, it } from 'vitest';
import { locateQuote, verifyEvidence } from '../../../src/evaluation/evidence.ts';
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
    expect(verified.dropped).toEqual(['We already bought Chorus.']);
  });
});
