import type { EngineRegistry } from './engine.ts';
import { metricEngine } from './engines/metric.ts';
import { trackerEngine } from './engines/tracker.ts';

/** The engines a Brick may name in production. */
export const defaultEngines: EngineRegistry = { metric: metricEngine, tracker: trackerEngine };
