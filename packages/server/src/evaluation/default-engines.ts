import type { Config } from '../config.ts';
import { type EngineRegistry, perBrick } from './engine.ts';
import { createLlmEngine } from './engines/llm.ts';
import { metricEngine } from './engines/metric.ts';
import { trackerEngine } from './engines/tracker.ts';

/** The engines a Brick may name in production (PUBLIC_ENGINES in kits/brick.ts). */
export function createDefaultEngines(config: Parameters<typeof createLlmEngine>[0]): EngineRegistry {
  return { llm: createLlmEngine(config), metric: perBrick(metricEngine), tracker: perBrick(trackerEngine) };
}

export type { Config };
