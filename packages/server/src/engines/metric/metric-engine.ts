import { labelKey } from '../../conversation/labels.ts';
import { buildResult } from '../../evaluation/build-result.ts';
import type { Conversation } from '../../evaluation/conversation.ts';
import type { BrickEngine } from '../../evaluation/engine.ts';
import { assertNumericOutput, fitNumber } from '../../evaluation/numeric-output.ts';
import type { MetricSettings } from '../../kits/brick.ts';
import type { Measure, Target } from './measures/measure.ts';
import { MEASURES } from './measures/measures.ts';

/**
 * The `metric` engine: conversation measures computed from the turns, no model (docs/signals.md
 * §3). A measure the input cannot support (no speakers, no timings, the side absent) gives a null
 * value with confidence 0 and a reason; a list Brick is refused when written.
 */
export const metricEngine: BrickEngine = async (brick, conversation, _context, signal) => {
  signal.throwIfAborted();
  const settings = brick.metric;
  if (!settings)
    throw new Error(`Brick "${brick.key}" v${brick.version} uses the metric engine without metric settings`);
  assertNumericOutput(brick, `metric "${settings.name}"`);
  const { measure, about } = MEASURES[settings.name];
  const measured = measure(conversation, targetOf(settings, about));
  // A per-speaker measure shows every speaker's and side's value (talk_ratio and question_count
  // build theirs as they count).
  if (about === 'company' && !('by_speaker' in measured.details)) {
    Object.assign(measured.details, breakdown(measure, conversation, measured.decimals));
  }
  const value = measured.value === null ? null : fitNumber(brick, measured.value, measured.decimals);
  return buildResult(brick, conversation, {
    value,
    confidence: value === null ? 0 : measured.confidence,
    reason: measured.reason,
    spans: measured.spans ?? [],
    details: measured.details,
  });
};

/** Speakers and sides a breakdown covers at most: enough for any call, bounded for a diarised mess. */
const MAX_BREAKDOWN_SPEAKERS = 20;

/** The measure for each side and each speaker (first MAX_BREAKDOWN_SPEAKERS), by the same rules. */
function breakdown(measure: Measure, conversation: Conversation, decimals: number) {
  const round = (value: number | null) =>
    value === null ? null : Math.round(value * 10 ** decimals) / 10 ** decimals;
  const speakers = new Map<string, string>();
  for (const turn of conversation.turns) {
    if (turn.speaker !== null && speakers.size < MAX_BREAKDOWN_SPEAKERS)
      speakers.set(labelKey(turn.speaker), turn.speaker);
  }
  const by_side: Record<string, number | null> = {};
  for (const side of ['company', 'customer'] as const) {
    if (conversation.turns.some((turn) => turn.side === side)) {
      by_side[side] = round(measure(conversation, { kind: 'side', side }).value);
    }
  }
  const by_speaker: Record<string, number | null> = {};
  for (const name of speakers.values())
    by_speaker[name] = round(measure(conversation, { kind: 'speaker', name }).value);
  return { by_side, by_speaker };
}

function targetOf(settings: MetricSettings, about: 'company' | 'all'): Target {
  if (settings.speaker !== undefined) return { kind: 'speaker', name: settings.speaker };
  const side = settings.side ?? (about === 'company' ? 'company' : 'any');
  return side === 'any' ? { kind: 'all' } : { kind: 'side', side };
}
