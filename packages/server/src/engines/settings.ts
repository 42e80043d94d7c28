import { MetricSettings } from './metric/settings.ts';
import { TrackerSettings } from './tracker/settings.ts';

/**
 * The settings field of each engine that has settings, as a Brick definition holds them: the
 * field is named after the engine. This and registry.ts are the only lists of engines.
 */
export const ENGINE_SETTINGS = {
  metric: MetricSettings.optional(),
  tracker: TrackerSettings.optional(),
};
