import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../../src/conversation/normalise-input.ts';
import { ENGINE_PLUGINS, enginePlugin, PUBLIC_ENGINES } from '../../../src/engines/registry.ts';
import { PatternQuarantine } from '../../../src/engines/tracker/guarded-patterns.ts';
import { BrickDefinition } from '../../../src/kits/brick.ts';
import { brickIssues } from '../../../src/kits/brick-rules.ts';
import { BrickFields } from '../../../src/kits/kit-request-schemas.ts';

// One case suite every engine plugin runs (as Hono's router implementations share theirs): what
// the registry derives from a plugin must hold for each of them.
const conversation = normaliseInput({
  transcript: 'Rep: Shall we book a demo for Tuesday?\nProspect: Yes, a demo and then a trial.',
}).conversation;

describe.each(ENGINE_PLUGINS.map((plugin) => [plugin.name, plugin] as const))(
  'engine plugin %s',
  (name, plugin) => {
    const example = BrickDefinition.parse({
      key: `example_${name}`,
      name: 'Example',
      engine: name,
      ...plugin.example,
    });

    it('is in the engine list the API and Kit files accept, with its description', () => {
      expect(PUBLIC_ENGINES).toContain(name);
      expect(enginePlugin(name)).toBe(plugin);
      expect(BrickFields.shape.engine.description).toContain(`${name}: ${plugin.description}`);
    });

    it('accepts its own example, and refuses an output type it cannot give', () => {
      expect(brickIssues(example)).toEqual([]);
      const outputs: readonly string[] = plugin.outputs;
      const other = (['boolean', 'number', 'text'] as const).find((type) => !outputs.includes(type));
      if (other) {
        const wrong = BrickDefinition.parse({ ...example, output: { type: other } });
        expect(brickIssues(wrong)).toContainEqual({
          path: ['output', 'type'],
          message: expect.stringContaining(`the ${name} engine gives`),
        });
      }
    });

    it('refuses a Brick without the settings it needs', () => {
      const settingsKey = Object.keys(plugin.example).find((key) => key === name);
      if (!settingsKey) return expect(plugin.check({ ...example })).toEqual([]);
      const { [settingsKey]: _settings, ...without } = example as unknown as Record<string, unknown>;
      expect(plugin.check(without as unknown as BrickDefinition)).toContainEqual({
        path: [settingsKey],
        message: `required for the ${name} engine`,
      });
    });

    it.runIf(plugin.runsOn === 'engine-thread')(
      'runs its example on a conversation and answers its value type',
      async () => {
        const create = await plugin.load();
        const engine = create({ config: null, quarantine: new PatternQuarantine(), patternBudgetMs: 2_000 });
        const { results } = await engine({
          bricks: [example],
          conversation,
          context: {},
          model: {},
          workspaceId: 'ws_case',
          signal: new AbortController().signal,
        });
        const result = results[example.key]!;
        expect(result.brick_version).toBe(1);
        expect(typeof result.reason).toBe('string');
        expect(
          result.value === null ||
            typeof result.value === (example.output.type === 'boolean' ? 'boolean' : 'number'),
        ).toBe(true);
      },
    );
  },
);
