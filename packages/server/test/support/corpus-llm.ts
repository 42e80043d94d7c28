/**
 * The llm part of the labelled corpus (corpus/README.md): each llm Brick of a case has a label (what
 * a careful reader answers) and fixed model answers, hostile ones included, with the grounded result
 * the server must make of each. The answers go through the real llm engine and a fake model at its
 * HTTP boundary, so quote checks, repairs and confidence rules are all the server's own.
 */
import { createLlmEngine } from '../../src/engines/llm/llm-engine.ts';
import { RunFailure } from '../../src/errors/run-failure.ts';
import type { BrickResult } from '../../src/evaluation/brick-result.ts';
import type { Conversation } from '../../src/evaluation/conversation.ts';
import { BrickDefinition } from '../../src/kits/brick.ts';
import { type FakeModelServer, type Reply, startFakeModelServer } from './fake-model-server.ts';

/** A recorded answer a model could give for one Brick, and what the server must make of it. */
export interface FixedAnswer {
  note: string;
  /** The Brick's answer object, sent as structured output (in a ```json fence with `fenced`). */
  answer?: unknown;
  fenced?: boolean;
  /** Raw text instead of JSON. */
  text?: string;
  /** The provider's refusal field. */
  refusal?: string;
  expect: {
    value?: unknown;
    confidence?: number;
    evidence?: string[];
    /** The turns of the evidence spans, in order. */
    turns?: number[];
    /** How many spans are approximate. */
    approximate?: number;
    /** The Brick's `error.code`. */
    error?: string;
    /** The run fails with this code. */
    failure?: string;
  };
}

export interface LlmExpectation {
  brick: Record<string, unknown>;
  /** What a careful reader answers: `npm run eval -- --model` compares a real model's value with it. */
  label: unknown;
  answers?: FixedAnswer[];
}

export const llmBrick = (spec: Record<string, unknown>) => BrickDefinition.parse({ engine: 'llm', ...spec });

/** What a result shows of the fields an expectation names. */
function observed(expect: FixedAnswer['expect'], outcome: BrickResult | { failure: string }) {
  if ('failure' in outcome) return { failure: outcome.failure };
  const all: Record<string, unknown> = {
    value: outcome.value,
    confidence: typeof outcome.confidence === 'number' ? Math.round(outcome.confidence * 100) / 100 : null,
    evidence: outcome.evidence,
    turns: outcome.evidence_spans.map((span) => span.turn),
    approximate: outcome.evidence_spans.filter((span) => span.approximate).length,
    error: outcome.error?.code,
    failure: undefined,
  };
  return Object.fromEntries(Object.keys(expect).map((key) => [key, all[key]]));
}

function replyFor(fixed: FixedAnswer, key: string): Reply {
  if (fixed.refusal !== undefined) return { refusal: fixed.refusal };
  if (fixed.text !== undefined) return { text: fixed.text };
  const whole = { [key]: fixed.answer };
  return fixed.fenced
    ? {
        text: `Here is my analysis.\n\`\`\`json\n${JSON.stringify(whole, null, 2)}\n\`\`\`\nHope this helps.`,
      }
    : { answer: whole };
}

/** Judges fixed answers: a fake model on loopback, and the llm engine configured for it. */
export interface FixedAnswerJudge {
  judge(
    brick: BrickDefinition,
    conversation: Conversation,
    context: Record<string, unknown>,
    fixed: FixedAnswer,
  ): Promise<{ expected: unknown; actual: unknown }>;
  close(): Promise<void>;
}

export async function startFixedAnswerJudge(): Promise<FixedAnswerJudge> {
  const fake: FakeModelServer = await startFakeModelServer(() => ({ status: 500 }));
  const engine = createLlmEngine({
    modelProvider: 'openai',
    model: 'corpus-fixed-answers',
    modelBaseUrl: fake.baseUrl,
    modelApiKey: 'sk-corpus',
    modelTimeoutMs: 10_000,
    modelMaxRetries: 0,
    modelMaxInputTokens: 100_000,
  });
  return {
    async judge(brick, conversation, context, fixed) {
      fake.script = () => replyFor(fixed, brick.key);
      let outcome: BrickResult | { failure: string };
      try {
        const { results } = await engine({
          bricks: [brick],
          conversation,
          context,
          model: {},
          workspaceId: 'corpus',
          signal: new AbortController().signal,
        });
        outcome = results[brick.key]!;
      } catch (error) {
        if (!(error instanceof RunFailure)) throw error;
        outcome = { failure: error.code };
      }
      return { expected: fixed.expect, actual: observed(fixed.expect, outcome) };
    },
    close: () => fake.close(),
  };
}
