import type { Config } from '../../config.ts';
import { RunFailure } from '../../errors/run-failure.ts';
import { addUsage, type BrickResult, type Usage } from '../../evaluation/brick-result.ts';
import { buildResult, noValueResult } from '../../evaluation/build-result.ts';
import type { Conversation } from '../../evaluation/conversation.ts';
import type { Engine } from '../../evaluation/engine.ts';
import { locateItem, verifyEvidence } from '../../evaluation/evidence.ts';
import type { BrickDefinition, OutputSpec } from '../../kits/brick.ts';
import { estimateTokens } from '../../models/estimate-tokens.ts';
import { generateJson, type JsonAnswer } from '../../models/generate-json.ts';
import { languageModelFor } from '../../models/language-model.ts';
import { resolveModelSettings, sampleCount, samplingSettings } from '../../models/model-settings.ts';
import { type Answer, type Combined, combineSamples } from './combine-samples.ts';
import {
  answerSchema,
  batchJsonSchema,
  buildPrompt,
  MAX_REASON_CHARS,
  outputTokenBudget,
} from './llm-prompt.ts';
import { cutAtWord, repairAnswer } from './repair-answer.ts';

type LlmConfig = Pick<
  Config,
  | 'modelProvider'
  | 'model'
  | 'modelBaseUrl'
  | 'modelApiKey'
  | 'modelTimeoutMs'
  | 'modelMaxRetries'
  | 'modelMaxInputTokens'
>;

const ZERO_USAGE: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };

/**
 * Whether an answer asserts something a quote should support (SPEC §11.5): true, a non-empty list
 * or text, a category, a number other than 0 (a score above its minimum). "No", none and nothing
 * need no quote: there is nothing to point at.
 */
function isPositive(output: OutputSpec, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (output.type) {
    case 'boolean':
      return value === true;
    case 'string_list':
      return Array.isArray(value) && value.length > 0;
    case 'text':
      return typeof value === 'string' && value.trim() !== '';
    case 'score':
      return value !== output.min;
    case 'number':
      return value !== 0;
    case 'category':
      return true;
  }
}

/**
 * The items of an `items: quoted` list that are in the conversation, as the conversation has them
 * (SPEC §11.2); null for any other Brick.
 */
function quotedItems(
  brick: BrickDefinition,
  conversation: Conversation,
  value: unknown,
): { kept: string[]; dropped: number } | null {
  if (brick.output.type !== 'string_list' || brick.output.items !== 'quoted' || !Array.isArray(value))
    return null;
  const kept: string[] = [];
  for (const item of value as string[]) {
    const span = locateItem(conversation, item);
    const text = span ? conversation.turns[span.turn]?.text.slice(span.start, span.end) : undefined;
    if (text !== undefined && !kept.includes(text)) kept.push(text);
  }
  return { kept, dropped: value.length - kept.length };
}

/**
 * Turns one validated answer (or k samples combined) into a result, keeping only evidence found
 * in the conversation.
 */
function groundAnswer(
  brick: BrickDefinition,
  conversation: Conversation,
  input: Answer,
  repaired: readonly string[],
  sampled?: { combined: Combined; k: number },
): BrickResult {
  // A Brick that takes no evidence is not judged by quotes it never needed.
  const { spans, found, dropped } =
    brick.evidence === 'none'
      ? { spans: [], found: 0, dropped: [] }
      : verifyEvidence(conversation, input.evidence);
  const quoted = quotedItems(brick, conversation, input.value);
  const answer = quoted ? { ...input, value: quoted.kept } : input;
  // No answer is no claim: it gets the confidence the other engines give it.
  let confidence = answer.value === null ? 0 : answer.confidence;
  const notes: string[] = [];
  if (sampled) notes.push(`${sampled.combined.agreeing} of ${sampled.k} samples agreed.`);
  if (quoted && quoted.dropped > 0) {
    notes.push(
      `${quoted.dropped} item${quoted.dropped === 1 ? ' was' : 's were'} not found in the conversation as said and dropped.`,
    );
  }
  if (dropped.length > 0) {
    confidence *= found / (found + dropped.length);
    const missing = dropped.filter((d) => d.problem === 'not_found').length;
    const short = dropped.length - missing;
    if (missing > 0)
      notes.push(
        `${missing} quoted passage${missing === 1 ? '' : 's'} could not be found in the conversation and ${missing === 1 ? 'was' : 'were'} dropped.`,
      );
    if (short > 0)
      notes.push(
        `${short} quote${short === 1 ? ' was' : 's were'} too short to be evidence (fewer than two words) and dropped.`,
      );
  }
  if (brick.evidence === 'required' && isPositive(brick.output, answer.value) && spans.length === 0) {
    confidence = Math.min(confidence, 0.25);
    notes.push('Required evidence is missing: no quote supports this answer.');
  }
  const approximate = spans.filter((span) => span.approximate).length;
  return buildResult(brick, conversation, {
    value: answer.value,
    confidence,
    reason: withNotes(answer.reason.trim(), notes),
    spans,
    details: {
      evidence_dropped: dropped.length,
      ...(approximate > 0 ? { evidence_approximate: approximate } : {}),
      ...(repaired.length > 0 ? { repaired: [...repaired] } : {}),
      ...(sampled
        ? {
            samples: {
              count: sampled.k,
              agreeing: sampled.combined.agreeing,
              values: sampled.combined.values,
            },
          }
        : {}),
    },
  });
}

/** The model's reason and the server's notes, within MAX_REASON_CHARS: the notes are kept whole. */
function withNotes(reason: string, notes: readonly string[]): string {
  const tail = notes.join(' ');
  if (tail === '') return reason;
  return `${cutAtWord(reason, Math.max(0, MAX_REASON_CHARS - tail.length - 1))} ${tail}`.trim();
}

type Judged = { ok: true; answer: Answer; repaired: string[] } | { ok: false; problem: string };

/** Checks a Brick's part of an answer, repaired first; returns the problem in words when it does not fit. */
function judgePart(brick: BrickDefinition, whole: unknown): Judged {
  const part =
    typeof whole === 'object' && whole !== null ? (whole as Record<string, unknown>)[brick.key] : undefined;
  if (part === undefined) return { ok: false, problem: `no answer for "${brick.key}"` };
  const { part: repairedPart, repaired } = repairAnswer(brick, part);
  const parsed = answerSchema(brick).safeParse(repairedPart);
  if (!parsed.success) {
    return {
      ok: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, answer: parsePart(parsed.data), repaired };
}

const parsePart = (data: Answer) => data;

const REFUSED = (detail: string | undefined, usage: Usage) =>
  new RunFailure(
    'model_refused',
    `The model declined to answer${detail ? `: ${detail.slice(0, 300)}` : ''}.`,
    { usage },
  );

/**
 * The `llm` engine: all of a Kit's llm Bricks go to the model in one structured-output call, so the
 * conversation is sent once. An answer is repaired where its intent is clear; a Brick whose answer
 * still does not fit is re-asked alone, once, and then answers null with an `error` (SPEC §11.4).
 * A refusal fails the run with `model_refused`, without a re-ask. With `model.samples: k` the Kit is
 * judged k times and each Brick's answers combined (combine-samples.ts); the run is refused only
 * when every sample refused. Usage, summed over every call, is reported on failures too.
 */
export function createLlmEngine(config: LlmConfig): Engine {
  return async ({ bricks, conversation, context, model: kitModel, signal, onUsage }) => {
    const settings = resolveModelSettings(config, kitModel);
    const model = languageModelFor(settings);

    const policy = {
      timeoutMs: config.modelTimeoutMs,
      maxRetries: config.modelMaxRetries,
      signal,
      ...(onUsage ? { onUsage } : {}),
    };
    let usage: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };

    const ask = async (
      group: readonly BrickDefinition[],
      correction?: string,
      n = 0,
    ): Promise<JsonAnswer> => {
      const sampling = samplingSettings(kitModel, settings.provider, n);
      const { system, prompt } = buildPrompt(group, conversation, context, correction);
      const schema = batchJsonSchema(group);
      // The schema is part of what the provider counts as input.
      const tokens = estimateTokens(system) + estimateTokens(prompt) + estimateTokens(JSON.stringify(schema));
      if (tokens > config.modelMaxInputTokens) {
        throw new RunFailure(
          'input_too_large',
          `The prompt is about ${tokens} tokens; SEMARIZE_MODEL_MAX_INPUT_TOKENS is ${config.modelMaxInputTokens}.`,
        );
      }
      try {
        const answer = await generateJson(
          model,
          { system, prompt, schema, maxOutputTokens: outputTokenBudget(group), ...sampling },
          policy,
        );
        usage = addUsage(usage, answer.usage);
        return answer;
      } catch (error) {
        // The calls before this one were spent too: the failed run reports them all.
        if (error instanceof RunFailure) error.usage = addUsage(usage, error.usage ?? ZERO_USAGE);
        throw error;
      }
    };

    const judge = (brick: BrickDefinition, answer: JsonAnswer): Judged =>
      answer.value === undefined
        ? { ok: false, problem: 'the answer was not JSON' }
        : judgePart(brick, answer.value);

    // k samples of the whole Kit, in parallel: the same prompt, each with its own seed (SPEC §11.5).
    const k = sampleCount(kitModel);
    const samples = await Promise.all(Array.from({ length: k }, (_, n) => ask(bricks, undefined, n)));
    const answered = samples.filter((sample) => sample.refusal === undefined);
    if (answered.length === 0) throw REFUSED(samples[0]!.refusal, usage);
    const results: Record<string, BrickResult> = {};
    const incomplete: string[] = [];
    const fitting = (brick: BrickDefinition, answers: readonly JsonAnswer[]) =>
      answers.flatMap((answer) => {
        const judged = judge(brick, answer);
        if (!judged.ok) return [];
        const extracted = answer.extracted ? ['JSON taken out of the text around it'] : [];
        return [{ answer: judged.answer, repaired: [...extracted, ...judged.repaired] }];
      });
    const accept = (brick: BrickDefinition, fits: ReturnType<typeof fitting>) => {
      if (k === 1) {
        const [only] = fits;
        results[brick.key] = groundAnswer(brick, conversation, only!.answer, only!.repaired);
        return;
      }
      const combined = combineSamples(brick.output, fits, k);
      results[brick.key] = groundAnswer(brick, conversation, combined.answer, combined.repaired, {
        combined,
        k,
      });
    };
    const retry: { brick: BrickDefinition; problem: string }[] = [];
    for (const brick of bricks) {
      const fits = fitting(brick, answered);
      if (fits.length > 0) accept(brick, fits);
      else {
        const problem = judge(brick, answered[0]!);
        retry.push({ brick, problem: problem.ok ? '' : problem.problem });
      }
    }
    // A Brick no sample answered in shape is re-asked once, alone; its answer stands for one sample.
    await Promise.all(
      retry.map(async ({ brick, problem }) => {
        const again = await ask(
          [brick],
          `Your previous answer for "${brick.key}" did not fit its schema (${problem}). Answer this Brick again, exactly as the schema says.`,
        );
        const fits = again.refusal === undefined ? fitting(brick, [again]) : [];
        if (fits.length > 0) return accept(brick, fits);
        const judged: Judged =
          again.refusal === undefined ? judge(brick, again) : { ok: false, problem: 'the model declined' };
        const code = again.refusal === undefined ? 'output_invalid' : 'model_refused';
        results[brick.key] = failedBrick(brick, conversation, code, judged.ok ? '' : judged.problem);
        incomplete.push(brick.key);
      }),
    );
    return { results, usage, incomplete: bricks.map((b) => b.key).filter((key) => incomplete.includes(key)) };
  };
}

/** A Brick the model could not answer in shape: no value, confidence 0, and the error (SPEC §11.4). */
function failedBrick(
  brick: BrickDefinition,
  conversation: Conversation,
  code: 'output_invalid' | 'model_refused',
  problem: string,
): BrickResult {
  const message =
    code === 'model_refused'
      ? 'The model declined to answer this Brick.'
      : `The model's answer did not fit the output schema after a re-ask: ${problem}`.slice(0, 1_000);
  return {
    ...noValueResult(brick, conversation, 'This Brick could not be judged: the model gave no usable answer.'),
    error: { code, message },
  };
}
