import type { Config } from '../config.ts';
import type { EngineThreads } from '../engine-threads/engine-threads.ts';
import type { EngineRegistry } from './engine.ts';
import { createLlmEngine } from './engines/llm.ts';

/**
 * The engines a Brick may name in production (PUBLIC_ENGINES in kits/brick.ts). The deterministic
 * ones run on engine threads, off the thread that serves HTTP (SPEC §9.4); the llm engine waits on
 * the network, so it stays here.
 */
export function createDefaultEngines(
  config: Parameters<typeof createLlmEngine>[0],
  threads: EngineThreads,
): EngineRegistry {
  return {
    llm: createLlmEngine(config),
    metric: (input) => threads.evaluate('metric', input),
    tracker: (input) => threads.evaluate('tracker', input),
  };
}

export type { Config };
