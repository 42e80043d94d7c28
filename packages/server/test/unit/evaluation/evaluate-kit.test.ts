import { describe, expect, it } from 'vitest';
import { metricEngine } from '../../../src/engines/metric/metric-engine.ts';
import { PatternQuarantine } from '../../../src/engines/tracker/guarded-patterns.ts';
import { createTrackerEngine } from '../../../src/engines/tracker/tracker-engine.ts';
import { RunFailure } from '../../../src/errors/run-failure.ts';
import { type Engine, type EngineRegistry, perBrick } from '../../../src/evaluation/engine.ts';
import { evaluateKit } from '../../../src/evaluation/evaluate-kit.ts';
import type { BrickDefinition } from '../../../src/kits/brick.ts';
import { brickOf, conversationOf, neverAborted } from './fixtures.ts';

const conversation = conversationOf([
  ['Rep', 'Do you use Gong today?'],
  ['Prospect', 'We use Gong but not Chorus. The renewal is in March.'],
]);

const talkRatio = brickOf({ key: 'talk_ratio', engine: 'metric', metric: { name: 'talk_ratio' } });
const competitors = brickOf({
  key: 'competitors',
  engine: 'tracker',
  output: { type: 'string_list' },
  tracker: { phrases: ['Gong', 'Chorus'] },
});
const summary = brickOf({ key: 'summary', engine: 'llm', output: { type: 'text' } });

/** An engine that records its calls and answers with a fixed value. */
function fakeEngine(value: unknown, calls: string[]): Engine {
  return perBrick(async (brick) => {
    calls.push(brick.key);
    return {
      value,
      confidence: 0.8,
      reason: 'fake',
      evidence: [],
      evidence_spans: [],
      brick_version: brick.version,
    };
  });
}

const metric = perBrick(metricEngine);
const tracker = createTrackerEngine({ quarantine: new PatternQuarantine(), patternBudgetMs: 2_000 });

function run(
  bricks: BrickDefinition[],
  engines: EngineRegistry,
  overrides: { sandbox?: boolean; signal?: AbortSignal } = {},
) {
  return evaluateKit({
    bricks,
    conversation,
    context: { account_id: 'acc_1' },
    engines,
    model: {},
    sandbox: overrides.sandbox ?? false,
    seed: 'seed-1',
    workspaceId: 'ws_test',
    signal: overrides.signal ?? neverAborted,
  });
}

describe('evaluateKit', () => {
  it('runs each Brick through its engine and keys the results by Brick key, in Kit order', async () => {
    const calls: string[] = [];
    const result = await run([talkRatio, competitors, summary], {
      metric,
      tracker,
      llm: fakeEngine('A short call about tooling.', calls),
    });
    expect(Object.keys(result.bricks)).toEqual(['talk_ratio', 'competitors', 'summary']);
    // The company side by default (docs/signals.md §2): the Rep's 5 of 16 words.
    expect(result.bricks.talk_ratio?.value).toBe(31.3);
    expect(result.bricks.competitors?.value).toEqual(['Gong']);
    expect(result.bricks.summary?.value).toBe('A short call about tooling.');
    expect(calls).toEqual(['summary']);
    expect(result.usage).toEqual({ input_tokens: 0, output_tokens: 0, model_calls: 0 });
  });

  it('passes the context to engines', async () => {
    let seen: Record<string, unknown> | undefined;
    await run([summary], {
      llm: perBrick(async (brick, _conversation, context) => {
        seen = context;
        return {
          value: 'x',
          confidence: 1,
          reason: '',
          evidence: [],
          evidence_spans: [],
          brick_version: brick.version,
        };
      }),
    });
    expect(seen).toEqual({ account_id: 'acc_1' });
  });

  it('gives each engine all of its Bricks in one call, and sums the usage engines report', async () => {
    const groups: string[][] = [];
    const modelEngine: Engine = async ({ bricks }) => {
      groups.push(bricks.map((b) => b.key));
      const results = Object.fromEntries(
        bricks.map((brick) => [
          brick.key,
          {
            value: 'x',
            confidence: 1,
            reason: '',
            evidence: [],
            evidence_spans: [],
            brick_version: brick.version,
          },
        ]),
      );
      return { results, usage: { input_tokens: 100, output_tokens: 20, model_calls: 1 } };
    };
    const result = await run([summary, { ...summary, key: 'next_steps' }, talkRatio], {
      llm: modelEngine,
      metric,
    });
    expect(groups).toEqual([['summary', 'next_steps']]);
    expect(result.usage).toEqual({ input_tokens: 100, output_tokens: 20, model_calls: 1 });
    expect(Object.keys(result.bricks)).toEqual(['summary', 'next_steps', 'talk_ratio']);
    expect(Object.keys(result.bricks.summary ?? {})).not.toContain('usage');
  });

  it('sandbox: placeholder output for every Brick and no engine call, even for engines the server lacks', async () => {
    const calls: string[] = [];
    const result = await run(
      [talkRatio, competitors, summary],
      { metric: fakeEngine(1, calls) },
      { sandbox: true },
    );
    expect(calls).toEqual([]);
    expect(Object.keys(result.bricks)).toEqual(['talk_ratio', 'competitors', 'summary']);
    for (const brickResult of Object.values(result.bricks)) {
      expect(brickResult.reason).toMatch(/^Sandbox run: placeholder output/);
    }
    expect(typeof result.bricks.talk_ratio?.value).toBe('number');
    expect(Array.isArray(result.bricks.competitors?.value)).toBe(true);
    expect(typeof result.bricks.summary?.value).toBe('string');
    const again = await run([talkRatio, competitors, summary], {}, { sandbox: true });
    expect(again.bricks).toEqual(result.bricks);
  });

  it('gives no value, without calling the engine, to a Brick that does not accept the source', async () => {
    const calls: string[] = [];
    const emailOnly = brickOf({
      key: 'email_tone',
      engine: 'llm',
      output: { type: 'score' },
      sources: ['email', 'chat'],
    });
    const emailList = { ...competitors, key: 'email_list', sources: ['email' as const] };
    const result = await run([emailOnly, emailList, summary], {
      llm: fakeEngine('ok', calls),
      tracker,
    });
    expect(calls).toEqual(['summary']);
    expect(result.bricks.email_tone).toMatchObject({ value: null, confidence: 0, evidence: [] });
    expect(result.bricks.email_tone?.reason).toBe(
      'This Brick does not apply to call conversations (it accepts email, chat).',
    );
    expect(result.bricks.email_list?.value).toEqual([]);
    // A sandbox run shows the same shape a live run would: no placeholder for a Brick that does not apply.
    const sandboxed = await run([emailOnly, summary], {}, { sandbox: true });
    expect(sandboxed.bricks.email_tone).toMatchObject({ value: null, confidence: 0 });
    expect(sandboxed.bricks.summary?.reason).toMatch(/^Sandbox run/);
  });

  it('fails with internal_error before running anything when a Brick names an unknown engine', async () => {
    const calls: string[] = [];
    const error = await run([talkRatio, summary], { metric: fakeEngine(1, calls) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailure);
    expect(error).toMatchObject({ code: 'internal_error' });
    expect((error as RunFailure).message).toContain('"llm"');
    expect(calls).toEqual([]);
  });

  it('lets a RunFailure from an engine through unchanged', async () => {
    const failure = new RunFailure('model_timeout', 'model took too long', {
      userMessage: 'The model did not answer in time.',
    });
    const error = await run([summary], {
      llm: async () => {
        throw failure;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(failure);
  });

  it('rejects with the abort reason when the signal is already aborted, calling no engine', async () => {
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    controller.abort(reason);
    const calls: string[] = [];
    const error = await run([summary], { llm: fakeEngine('x', calls) }, { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toBe(reason);
    expect(calls).toEqual([]);
  });

  it('rejects with the abort reason as soon as the signal aborts, even if an engine ignores it', async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    let started!: () => void;
    const engineStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const hanging: Engine = () => {
      started();
      return new Promise(() => {});
    };
    const pending = run([summary], { llm: hanging }, { signal: controller.signal });
    await engineStarted;
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
