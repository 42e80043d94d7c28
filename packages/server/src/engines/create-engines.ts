import type { EngineThreads } from '../engine-threads/engine-threads.ts';
import type { EngineRegistry } from '../evaluation/engine.ts';
import type { EngineContext } from './engine-plugin.ts';
import { ENGINE_PLUGINS } from './registry.ts';

/**
 * The engines of the registry as the executor calls them: those that run on engine threads are
 * sent there (SPEC §9.4: off the thread that serves HTTP); the others are made here.
 */
export async function createEngines(context: EngineContext, threads: EngineThreads): Promise<EngineRegistry> {
  const entries = await Promise.all(
    ENGINE_PLUGINS.map(async (plugin): Promise<[string, EngineRegistry[string]]> => {
      if (plugin.runsOn === 'engine-thread')
        return [plugin.name, (input) => threads.evaluate(plugin.name, input)];
      const create = await plugin.load();
      return [plugin.name, create(context)];
    }),
  );
  return Object.fromEntries(entries);
}
