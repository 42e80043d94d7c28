import {
  generateText,
  jsonSchema,
  type LanguageModel,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
} from 'ai';
import { addUsage, type Usage } from '../evaluation/brick-result.ts';
import { extractJson, isRefusalText } from './extract-json.ts';
import { type CallProblem, describeCallProblem, toRunFailure } from './model-failure.ts';
import { backoffMs, MAX_HINTED_DELAY_MS, retryHintMs } from './retry-delay.ts';

export interface JsonRequest {
  system: string;
  prompt: string;
  /** JSON Schema the answer must follow; sent to the provider as structured output. */
  schema: Record<string, unknown>;
  /** The most the answer may take: every call sets one, so no answer is unbounded. */
  maxOutputTokens: number;
  temperature: number;
  seed?: number;
}

export interface JsonAnswer {
  /** The parsed answer, or undefined when the model's text was not JSON at all. */
  value: unknown;
  text: string | undefined;
  usage: Usage;
  /** The JSON was found inside a fence or prose, not as the whole answer. */
  extracted?: true;
  /** The model declined: the provider's refusal, or a plain refusal in place of an answer. */
  refusal?: string;
}

/** The provider's refusal field (OpenAI `message.refusal`), when the raw response has one. */
function providerRefusal(response: unknown): string | undefined {
  const body = (response as { body?: unknown } | undefined)?.body;
  // biome-ignore lint/suspicious/noExplicitAny: a provider's raw response body
  const refusal = (body as any)?.choices?.[0]?.message?.refusal;
  return typeof refusal === 'string' && refusal !== '' ? refusal : undefined;
}

export interface CallPolicy {
  timeoutMs: number;
  maxRetries: number;
  /** The run's signal: cancellation and the run deadline abort the HTTP request to the provider. */
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /**
   * Told of spending as it happens: a call as it is sent, its tokens when it answers. A run stopped
   * mid-call (cancelled, past its deadline) still knows what it spent, though this call never returns.
   */
  onUsage?: (usage: Usage) => void;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

type SdkUsage =
  | {
      inputTokens?: number | undefined;
      outputTokens?: number | undefined;
      inputTokenDetails?: { cacheReadTokens?: number | undefined };
    }
  | undefined;

/** One call's usage as the provider reported it, with prompt-cache reads when it reports them. */
const usageFrom = (u: SdkUsage): Usage => {
  const usage: Usage = {
    input_tokens: u?.inputTokens ?? 0,
    output_tokens: u?.outputTokens ?? 0,
    model_calls: 1,
  };
  const cached = u?.inputTokenDetails?.cacheReadTokens;
  if (typeof cached === 'number') usage.cached_input_tokens = cached;
  return usage;
};

/**
 * One structured-output call, retried on 429, 5xx, timeouts and connection errors with backoff that
 * honours the provider's retry hints. The answer is not validated here: the caller judges each
 * Brick's part of it, so one bad Brick does not discard the others.
 */
export async function generateJson(
  model: LanguageModel,
  request: JsonRequest,
  policy: CallPolicy,
): Promise<JsonAnswer> {
  const sleep = policy.sleep ?? abortableSleep;
  const now = policy.now ?? Date.now;
  const spent: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
  let problem: CallProblem | undefined;
  for (let attempt = 0; attempt <= policy.maxRetries; attempt++) {
    if (attempt > 0 && problem) {
      const hinted = retryHintMs(problem.headers, now());
      if (hinted !== undefined && hinted > MAX_HINTED_DELAY_MS) break;
      await sleep(hinted ?? backoffMs(attempt - 1), policy.signal);
    }
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    policy.onUsage?.({ input_tokens: 0, output_tokens: 0, model_calls: 1 });
    try {
      const result = await generateText({
        model,
        // The static part as its own system message with an Anthropic cache breakpoint after it
        // (SPEC §11.1); other providers ignore the option and cache prefixes by themselves.
        system: {
          role: 'system',
          content: request.system,
          providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
        },
        prompt: request.prompt,
        output: Output.object({ schema: jsonSchema(request.schema) }),
        maxOutputTokens: request.maxOutputTokens,
        temperature: request.temperature,
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        maxRetries: 0,
        abortSignal: AbortSignal.any([policy.signal, timeout]),
      });
      const usage = usageFrom(result.usage);
      policy.onUsage?.({ ...usage, model_calls: 0 });
      return { value: result.output, text: result.text, usage: addUsage(spent, usage) };
    } catch (error) {
      if (policy.signal.aborted) throw policy.signal.reason;
      if (NoObjectGeneratedError.isInstance(error) || NoOutputGeneratedError.isInstance(error)) {
        // The model answered, but not with JSON: a refusal, JSON inside prose, or a re-ask.
        const noObject = NoObjectGeneratedError.isInstance(error) ? error : undefined;
        const usage = usageFrom(noObject?.usage);
        policy.onUsage?.({ ...usage, model_calls: 0 });
        const text = noObject?.text;
        const total = addUsage(spent, usage);
        const refusal =
          providerRefusal(noObject?.response) ??
          (noObject?.finishReason === 'content-filter' || (text !== undefined && isRefusalText(text))
            ? (text ?? 'refused')
            : undefined);
        if (refusal !== undefined) return { value: undefined, text, usage: total, refusal };
        const extracted = text === undefined ? undefined : extractJson(text);
        return extracted === undefined
          ? { value: undefined, text, usage: total }
          : { value: extracted, text, usage: total, extracted: true };
      }
      spent.model_calls++;
      problem = describeCallProblem(error, timeout.aborted);
      if (!problem.retryable) break;
    }
  }
  throw toRunFailure(problem!, spent);
}
