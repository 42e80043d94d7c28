import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../../src/conversation/normalise-input.ts';
import { InputInvalid } from '../../../src/errors/run-failure.ts';
import type { Conversation } from '../../../src/evaluation/conversation.ts';

function turnsOf(conversation: Conversation) {
  return conversation.turns.map((turn) => ({ speaker: turn.speaker, text: turn.text }));
}

function expectOffsetsConsistent(conversation: Conversation) {
  conversation.turns.forEach((turn, i) => {
    expect(turn.index).toBe(i);
    expect(conversation.text.slice(turn.start, turn.end)).toBe(turn.text);
    const speaker = turn.speaker ?? 'Unknown';
    expect(conversation.text.slice(turn.start - speaker.length - 2, turn.start)).toBe(`${speaker}: `);
  });
  expect(conversation.text).toBe(
    conversation.turns.map((turn) => `${turn.speaker ?? 'Unknown'}: ${turn.text}`).join('\n'),
  );
}

function invalidReason(input: Record<string, unknown>): { reason: string; message: string } {
  try {
    normaliseInput(input);
  } catch (error) {
    if (error instanceof InputInvalid) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected normaliseInput to throw InputInvalid');
}

describe('normaliseInput: transcript string', () => {
  it('splits the public docs one-line example into a Rep turn and a Prospect turn', () => {
    const { conversation } = normaliseInput({
      transcript:
        'Rep: What drove the urgency? Prospect: Our renewal is in March and the board wants a decision.',
    });
    expect(turnsOf(conversation)).toEqual([
      { speaker: 'Rep', text: 'What drove the urgency?' },
      { speaker: 'Prospect', text: 'Our renewal is in March and the board wants a decision.' },
    ]);
    expect(conversation.text).toBe(
      'Rep: What drove the urgency?\nProspect: Our renewal is in March and the board wants a decision.',
    );
    expect(conversation.turns[1]).toMatchObject({ start: 39, end: 94 });
    expectOffsetsConsistent(conversation);
  });

  it('starts a turn at each labelled line and continues the previous turn on unlabelled lines', () => {
    const { conversation } = normaliseInput({
      transcript:
        'Rep: Thanks for joining.\nLet me share my screen.\n\nProspect:   Sure,\tgo   ahead.\r\nRep: Great.',
    });
    expect(turnsOf(conversation)).toEqual([
      { speaker: 'Rep', text: 'Thanks for joining. Let me share my screen.' },
      { speaker: 'Prospect', text: 'Sure, go ahead.' },
      { speaker: 'Rep', text: 'Great.' },
    ]);
    expectOffsetsConsistent(conversation);
  });

  it('only splits a line on speakers it already knows once lines carry two or more labels', () => {
    const { conversation } = normaliseInput({
      transcript: 'Rep: Here is the plan. Next Steps: I send the proposal.\nProspect: Fine. Rep: Good.',
    });
    expect(turnsOf(conversation)).toEqual([
      { speaker: 'Rep', text: 'Here is the plan. Next Steps: I send the proposal.' },
      { speaker: 'Prospect', text: 'Fine.' },
      { speaker: 'Rep', text: 'Good.' },
    ]);
  });

  it('does not split after a sentence end unless a capitalised label and ": " follow', () => {
    const { conversation } = normaliseInput({
      transcript: 'Rep: We met at 10:30. then we agreed: yes. Done',
    });
    expect(turnsOf(conversation)).toEqual([
      { speaker: 'Rep', text: 'We met at 10:30. then we agreed: yes. Done' },
    ]);
  });

  it('accepts multi-word, numbered, abbreviated and lowercase labels', () => {
    const { conversation } = normaliseInput({
      transcript: 'Speaker 1: Hello.\nDr. Jane Smith: Hi!\nSPEAKER_02: Hey?\nagent: welcome',
    });
    expect(conversation.turns.map((turn) => turn.speaker)).toEqual([
      'Speaker 1',
      'Dr. Jane Smith',
      'SPEAKER_02',
      'agent',
    ]);
  });

  it('reads timestamps before or after the label into start_ms', () => {
    const { conversation } = normaliseInput({
      transcript:
        '[00:01:23] Rep: Hi.\nProspect (01:30): Hello.\nRep: [1:02:03.5] Bye.\n00:02 Prospect: Bye now.',
    });
    expect(conversation.turns.map((turn) => [turn.speaker, turn.text, turn.start_ms])).toEqual([
      ['Rep', 'Hi.', 83_000],
      ['Prospect', 'Hello.', 90_000],
      ['Rep', 'Bye.', 3_723_500],
      ['Prospect', 'Bye now.', 2_000],
    ]);
    expectOffsetsConsistent(conversation);
  });

  it('makes each line a turn without a speaker when nothing is labelled, and says so', () => {
    const { conversation } = normaliseInput({ transcript: 'hello there\n\n   how are   you\n' });
    expect(turnsOf(conversation)).toEqual([
      { speaker: null, text: 'hello there' },
      { speaker: null, text: 'how are you' },
    ]);
    expect(conversation.format).toBe('plain');
    expect(conversation.turns.map((turn) => turn.input_index)).toEqual([0, 2]);
    expect(conversation.input_quality).toMatchObject({
      speakers_known: 0,
      warnings: expect.arrayContaining(['no_speakers']),
    });
    expectOffsetsConsistent(conversation);
  });

  it("takes the lines after a label on a line of its own as that speaker's turn", () => {
    const { conversation } = normaliseInput({ transcript: 'Rep:\nHello there.\nProspect:\nHi.' });
    expect(turnsOf(conversation)).toEqual([
      { speaker: 'Rep', text: 'Hello there.' },
      { speaker: 'Prospect', text: 'Hi.' },
    ]);
  });

  it('gives text before the first label to an unknown speaker', () => {
    const { conversation } = normaliseInput({ transcript: 'Recording started\nRep: Hi.' });
    expect(turnsOf(conversation)).toEqual([
      { speaker: null, text: 'Recording started' },
      { speaker: 'Rep', text: 'Hi.' },
    ]);
  });
});

describe('normaliseInput: transcript array', () => {
  it('keeps speakers and timings, collapses whitespace and drops empty turns', () => {
    const { conversation, context } = normaliseInput({
      transcript: [
        { speaker: 'Rep', text: '  Hello\n\nthere ', start_ms: 0, end_ms: 1500 },
        { speaker: 'Prospect', text: '   ' },
        { text: 'Who is this?', start_ms: 2000 },
      ],
      account_id: 'acc_1',
      stage: 'discovery',
    });
    expect(conversation.source).toBe('call');
    // The empty turn is left out; input_index still points into the caller's array.
    expect(conversation.turns).toEqual([
      {
        index: 0,
        input_index: 0,
        speaker: 'Rep',
        side: 'company',
        text: 'Hello there',
        start: 5,
        end: 16,
        start_ms: 0,
        end_ms: 1500,
      },
      {
        index: 1,
        input_index: 2,
        speaker: null,
        side: null,
        text: 'Who is this?',
        start: 26,
        end: 38,
        start_ms: 2000,
        end_ms: null,
      },
    ]);
    expect(conversation.input_quality).toMatchObject({ speakers_known: 0.5, timed: 0.5 });
    expect(context).toEqual({ account_id: 'acc_1', stage: 'discovery' });
    expectOffsetsConsistent(conversation);
  });

  it('uses input.source when it is a known source', () => {
    expect(normaliseInput({ transcript: 'A: hi', source: 'note' }).conversation.source).toBe('note');
    expect(normaliseInput({ transcript: 'A: hi', source: 'sms' }).conversation.source).toBe('call');
  });
});

describe('normaliseInput: messages', () => {
  it('reads from|speaker and text|body, keeps sent_at, and defaults the source to chat', () => {
    const { conversation, context } = normaliseInput({
      messages: [
        { from: 'ana@acme.com', text: 'Can we move the demo?', sent_at: '2024-05-01T10:00:00Z' },
        { speaker: 'Bob', body: 'Sure,\n\nThursday works.' },
      ],
      meeting_title: 'Demo',
    });
    expect(conversation.source).toBe('chat');
    expect(conversation.turns.map((turn) => [turn.speaker, turn.text, turn.sent_at])).toEqual([
      ['ana@acme.com', 'Can we move the demo?', '2024-05-01T10:00:00Z'],
      ['Bob', 'Sure, Thursday works.', undefined],
    ]);
    expect(context).toEqual({ meeting_title: 'Demo' });
    expectOffsetsConsistent(conversation);
  });

  it('treats messages with a subject as email', () => {
    const { conversation } = normaliseInput({ messages: [{ from: 'a', subject: 'Renewal', body: 'Hi' }] });
    expect(conversation.source).toBe('email');
  });
});

describe('normaliseInput: invalid input', () => {
  it('rejects an input that is not an object', () => {
    expect(invalidReason([] as unknown as Record<string, unknown>).reason).toBe('invalid_input');
  });

  it('rejects input with neither transcript nor messages', () => {
    expect(invalidReason({ account_id: 'x' }).reason).toBe('missing_conversation');
  });

  it('rejects input with both transcript and messages', () => {
    expect(invalidReason({ transcript: 'A: hi', messages: [] }).reason).toBe('both_transcript_and_messages');
  });

  it('rejects conversations without any text', () => {
    expect(invalidReason({ transcript: '  \n\t ' }).reason).toBe('empty_conversation');
    expect(invalidReason({ transcript: [{ speaker: 'A', text: ' ' }] }).reason).toBe('empty_conversation');
    expect(invalidReason({ messages: [] })).toEqual({
      reason: 'empty_conversation',
      message: 'input.messages has no text',
    });
  });

  it('names the offending path of a malformed transcript', () => {
    expect(invalidReason({ transcript: 42 }).reason).toBe('invalid_transcript');
    expect(
      invalidReason({ transcript: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { speaker: 'A', text: 7 }] }),
    ).toEqual({ reason: 'invalid_transcript', message: 'input.transcript[3].text must be a string' });
    expect(invalidReason({ transcript: ['Rep: hi'] }).message).toBe(
      'input.transcript[0] must be an object with a text field',
    );
    expect(invalidReason({ transcript: [{ speaker: 3, text: 'hi' }] }).message).toBe(
      'input.transcript[0].speaker must be a string',
    );
    expect(invalidReason({ transcript: [{ text: 'hi', start_ms: -1 }] }).message).toMatch(
      /^input\.transcript\[0\]\.start_ms/,
    );
    expect(invalidReason({ transcript: [{ text: 'hi', start_ms: 500, end_ms: 100 }] }).message).toBe(
      'input.transcript[0].end_ms must not be before start_ms',
    );
  });

  it('names the offending path of malformed messages', () => {
    expect(invalidReason({ messages: 'hi' }).reason).toBe('invalid_messages');
    expect(invalidReason({ messages: [{ from: 'a', text: 'ok' }, { from: 'b' }] })).toEqual({
      reason: 'invalid_messages',
      message: 'input.messages[1] needs a text (or body) string',
    });
    expect(invalidReason({ messages: [{ from: 'a', body: 5 }] }).message).toBe(
      'input.messages[0].body must be a string',
    );
    expect(invalidReason({ messages: [{ from: { name: 'A' }, text: 'x' }] }).message).toBe(
      'input.messages[0].from must be a string',
    );
    expect(invalidReason({ messages: [{ from: 'a', text: 'x', sent_at: 17 }] }).message).toBe(
      'input.messages[0].sent_at must be an ISO-8601 string',
    );
  });
});
