import type { MetricSettings } from '../../kits/brick.ts';
import { buildResult, noValueResult } from '../build-result.ts';
import type { Conversation } from '../conversation.ts';
import type { BrickEngine } from '../engine.ts';
import { assertNumericOutput, fitNumber } from '../numeric-output.ts';
import { MEASURES } from './metric-measures.ts';

/**
 * The `metric` engine: conversation measures computed from the turns, no model. A measure that has
 * no basis (no timings for words per minute, an absent speaker) gives a null value, confidence 0.
 */
export const metricEngine: BrickEngine = async (brick, conversation, _context, signal) => {
  signal.throwIfAborted();
  const settings = brick.metric;
  if (!settings)
    throw new Error(`Brick "${brick.key}" v${brick.version} uses the metric engine without metric settings`);
  assertNumericOutput(brick, `metric "${settings.name}"`);
  const speaker = resolveSpeaker(conversation, settings);
  if (speaker === null) {
    return noValueResult(
      brick,
      conversation,
      `Speaker "${settings.speaker}" does not speak in this conversation.`,
      {
        speakers: [...new Set(conversation.turns.map((turn) => turn.speaker))],
      },
    );
  }
  const measured = MEASURES[settings.name](conversation, speaker);
  if (measured.value === null) return noValueResult(brick, conversation, measured.reason, measured.details);
  const parts = {
    value: fitNumber(brick, measured.value, measured.decimals),
    confidence: 1,
    reason: measured.reason,
    spans: measured.spans ?? [],
  };
  return buildResult(brick, conversation, measured.details ? { ...parts, details: measured.details } : parts);
};

/**
 * The conversation's own spelling of the requested speaker (matched case-insensitively), undefined
 * when none was requested, or null when the requested speaker never speaks.
 */
function resolveSpeaker(conversation: Conversation, settings: MetricSettings): string | undefined | null {
  if (settings.speaker === undefined) return undefined;
  const wanted = settings.speaker.trim().toLowerCase();
  return conversation.turns.find((turn) => turn.speaker.toLowerCase() === wanted)?.speaker ?? null;
}
