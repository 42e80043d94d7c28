import type { EnginePlugin } from '../engine-plugin.ts';

/** The `metric` engine: conversation measures from the turns (docs/signals.md §3), no model. */
export const metricPlugin = {
  name: 'metric' as const,
  description: 'a measure of the conversation (talk ratio, questions, monologue, …), deterministic',
  outputs: ['number', 'score'],
  runsOn: 'engine-thread',
  example: { metric: { name: 'talk_ratio' }, output: { type: 'number', min: 0, max: 100, unit: 'percent' } },
  check(brick) {
    const settings = brick.metric;
    if (!settings) return [{ path: ['metric'], message: 'required for the metric engine' }];
    if (settings.speaker !== undefined && settings.side !== undefined) {
      return [{ path: ['metric', 'side'], message: 'name a speaker or a side, not both' }];
    }
    return [];
  },
  async load() {
    const { perBrick } = await import('../../evaluation/engine.ts');
    const { metricEngine } = await import('./metric-engine.ts');
    return () => perBrick(metricEngine);
  },
} satisfies EnginePlugin;
