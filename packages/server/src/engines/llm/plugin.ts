import type { EnginePlugin } from '../engine-plugin.ts';

/** The `llm` engine: every llm Brick of a Kit judged by a model in one structured call. */
export const llmPlugin = {
  name: 'llm' as const,
  description: 'judged by a language model from the Brick description, with evidence quotes',
  outputs: ['boolean', 'score', 'number', 'category', 'string_list', 'text'],
  runsOn: 'main',
  example: { description: 'A concrete next step was agreed, with a date.', output: { type: 'boolean' } },
  check: () => [],
  async load() {
    const { createLlmEngine } = await import('./llm-engine.ts');
    return ({ config }) => {
      if (!config) throw new Error('the llm engine needs the server settings');
      return createLlmEngine(config);
    };
  },
} satisfies EnginePlugin;
