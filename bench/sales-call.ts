/**
 * A realistic 60-minute discovery call for the signals-cost benchmark: a rep and two people on the
 * customer side, ~150 spoken words a minute (~9,000 words in ~500 turns), with what the starter
 * Kit looks for (questions with and without a mark, next steps, pricing with amounts, competitor
 * names, some negated), fillers, backchannels, overtalk and a few long silences. Deterministic: the
 * same call every time, so two checkouts measure the same work.
 */

export interface TimedTurn {
  speaker: string;
  text: string;
  start_ms: number;
  end_ms: number;
}

export interface SalesCall {
  participants: { name: string; side: 'company' | 'customer'; role: string }[];
  turns: TimedTurn[];
  words: number;
}

const REP = 'Dana Whitfield';
const BUYER = 'Marcus Lee';
const VP = 'Priya Shah';
const CALL_MS = 60 * 60_000;
const TARGET_WORDS = 60 * 150;
const MS_PER_WORD = 60_000 / 150;

const REP_QUESTIONS = [
  'Walk me through how your team handles call notes today, from the moment a call ends?',
  'So what happens to the forecast when a rep misses an update in the CRM',
  'Who else would need to be involved before you could make a change like this?',
  'Can you tell me more about how managers coach reps today.',
  'If nothing changes this quarter, what does that cost the team, in hours or in deals that slip?',
  'How did you evaluate tools the last time you bought something for the sales team?',
  "And what's the budget you have set aside for this, roughly",
  'Are you looking at anything else right now, like Gong or Clari?',
  'Is there a date by which you need to have something in place?',
  'What would a successful pilot look like for you, in numbers?',
  'Would it help if I sent over a proposal with per seat pricing after this call?',
  'How many reps would be on the first rollout, um, all forty or a smaller team?',
];
const REP_STATEMENTS = [
  'That makes sense, and it is something we hear from most teams your size.',
  'So the way it works is that every call is transcribed and scored against the playbook you define.',
  'Managers get a weekly digest, you know, with the calls that need their attention first.',
  'The integration with Salesforce writes the summary and the next steps back to the opportunity.',
  'Pricing is per user per month, and for forty seats we would be looking at about $24,000 a year.',
  'We can set up a two week trial with three of your reps and review the results together.',
  'I will send you a calendar invite for the demo with your VP next Tuesday.',
  'Our customers usually see the admin time drop by about half in the first month.',
  'Security reviews are standard for us, and I can share the questionnaire we filled in for others.',
  'We do not replace Outreach, we sit next to it and feed it better notes.',
];
const BUYER_ANSWERS = [
  'Right now every rep writes notes by hand after each call, usually at the end of the day, and a lot gets lost in between.',
  'Our VP of Sales rebuilds the forecast every Monday from spreadsheets because the CRM is always about a week behind.',
  'Procurement gets involved above twenty thousand dollars, and security always wants to review anything that touches recordings.',
  'We estimated around six hours per rep per week, and with forty reps that is basically a full team doing admin work.',
  'We looked at Gong last year, but honestly the price was too high for a team our size.',
  "We don't use Chorus anymore, we dropped it when the contract came up for renewal.",
  'Our outreach team sends the follow-up emails, so whatever you do has to work with their sequences.',
  'I mean, kind of, the managers skim the notes, but nobody listens to the calls unless a deal goes sideways.',
  'Two quarters ago we lost a renewal because the champion left and nobody had written down who else was involved.',
  'The budget is not set yet, but I think somewhere around twenty to thirty thousand is realistic.',
  'We are also talking to Clari about the forecasting side, so that is part of the picture.',
  'A pilot with three reps sounds right, and we would want to see it before the end of the quarter.',
];
const VP_ANSWERS = [
  'From my side the question is whether the forecast gets better, not whether the notes look nicer.',
  'I would need to see the numbers from the pilot before I take this to the CFO.',
  'We are not considering Salesloft at all, so you can leave that comparison out of the proposal.',
  'Timing wise, we plan next year in October, so anything after that waits a full cycle.',
  'If you can book a follow-up with our security lead this month, that would keep things moving.',
];
const BACKCHANNELS = [
  'Mm-hmm.',
  'Right.',
  'Yeah.',
  'Okay.',
  'Got it.',
  'Sure.',
  'Yeah, makes sense.',
  'Uh-huh.',
];

/** A small seeded generator (mulberry32): the same call on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function salesCall(): SalesCall {
  const random = seeded(13);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentences = (pool: readonly string[], min: number, max: number) =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(pool)).join(' ');

  const lines: { speaker: string; text: string }[] = [];
  let words = 0;
  const say = (speaker: string, text: string) => {
    lines.push({ speaker, text });
    words += wordCount(text);
  };
  // One exchange: the rep speaks (a question mostly, now and then a pitch), the customer side
  // answers; the listener's backchannel ("Mm-hmm.") sometimes breaks a turn in two.
  while (words < TARGET_WORDS) {
    const roll = random();
    if (roll < 0.07) say(REP, sentences(REP_STATEMENTS, 4, 7));
    else if (roll < 0.7) say(REP, `${sentences(REP_STATEMENTS, 0, 1)} ${pick(REP_QUESTIONS)}`.trim());
    else say(REP, pick(REP_STATEMENTS));
    if (random() < 0.2) {
      say(BUYER, pick(BACKCHANNELS));
      say(REP, pick(REP_STATEMENTS));
    }
    const customer = random() < 0.25 ? VP : BUYER;
    say(customer, sentences(customer === VP ? VP_ANSWERS : BUYER_ANSWERS, 1, 2));
    if (random() < 0.5) {
      say(REP, pick(BACKCHANNELS));
      say(customer, pick(customer === VP ? VP_ANSWERS : BUYER_ANSWERS));
    }
  }

  // Durations at the speaking rate, gaps of a fraction of a second, backchannels over the other
  // speaker now and then, and a few long pauses; then scaled to exactly 60 minutes.
  let at = 0;
  const raw = lines.map((line) => {
    const overtalk = BACKCHANNELS.includes(line.text) && random() < 0.4;
    const gap = overtalk ? -400 : random() < 0.02 ? 6_000 + random() * 8_000 : 150 + random() * 900;
    const start = Math.max(0, at + gap);
    const end = start + wordCount(line.text) * MS_PER_WORD * (0.85 + random() * 0.3);
    at = Math.max(at, end);
    return { ...line, start, end };
  });
  const scale = CALL_MS / at;
  const turns = raw.map(({ speaker, text, start, end }) => ({
    speaker,
    text,
    start_ms: Math.round(start * scale),
    end_ms: Math.round(end * scale),
  }));
  return {
    participants: [
      { name: REP, side: 'company', role: 'Account executive' },
      { name: BUYER, side: 'customer', role: 'Sales operations lead' },
      { name: VP, side: 'customer', role: 'VP of Sales' },
    ],
    turns,
    words,
  };
}

/** The call as a run's input: a `Speaker: text` transcript (no timings), or the timed turns. */
export function salesCallInputs(call: SalesCall): { transcript: string; timed: string } {
  const common = { participants: call.participants, source: 'call' };
  const transcript = call.turns.map((turn) => `${turn.speaker}: ${turn.text}`).join('\n');
  return {
    transcript: JSON.stringify({ ...common, transcript }),
    timed: JSON.stringify({ ...common, transcript: call.turns }),
  };
}
