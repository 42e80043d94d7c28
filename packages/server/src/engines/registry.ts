import type { EnginePlugin } from './engine-plugin.ts';
import { llmPlugin } from './llm/plugin.ts';
import { metricPlugin } from './metric/plugin.ts';
import { trackerPlugin } from './tracker/plugin.ts';

/**
 * Every engine a Brick may name through the API and Kit files. To add one: a folder with its
 * plugin (and settings, registered in settings.ts), and a line here. Tests register more engines
 * programmatically, never through this list.
 */
export const ENGINE_PLUGINS = [
  llmPlugin,
  metricPlugin,
  trackerPlugin,
] as const satisfies readonly EnginePlugin[];

export type EngineName = (typeof ENGINE_PLUGINS)[number]['name'];

export const PUBLIC_ENGINES = ENGINE_PLUGINS.map((plugin) => plugin.name) as [EngineName, ...EngineName[]];

export function enginePlugin(name: string): EnginePlugin | undefined {
  return ENGINE_PLUGINS.find((plugin) => plugin.name === name);
}
