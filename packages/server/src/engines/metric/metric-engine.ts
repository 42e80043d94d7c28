import { buildResult } from '../../evaluation/build-result.ts';
import type { BrickEngine } from '../../evaluation/engine.ts';
import { assertNumericOutput, fitNumber } from '../../evaluation/numeric-output.ts';
import type { MetricSettings } from '../../kits/brick.ts';
import type { Target } from './measures/measure.ts';
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
  const value = measured.value === null ? null : fitNumber(brick, measured.value, measured.decimals);
  return buildResult(brick, conversation, {
    value,
    confidence: value === null ? 0 : measured.confidence,
    reason: measured.reason,
    spans: measured.spans ?? [],
    details: measured.details,
  });
};

function targetOf(settings: MetricSettings, about: 'company' | 'all'): Target {
  if (settings.speaker !== undefined) return { kind: 'speaker', name: settings.speaker };
  const side = settings.side ?? (about === 'company' ? 'company' : 'any');
  return side === 'any' ? { kind: 'all' } : { kind: 'side', side };
}
