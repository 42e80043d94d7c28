import type { BrickDefinition } from '../kits/brick.ts';
import type { BrickResult, Usage } from './brick-result.ts';
import { noValueResult } from './build-result.ts';
import type { Conversation } from './conversation.ts';
import { type EngineRegistry, usageOf } from './engine.ts';
import { RunFailure } from './run-failure.ts';
import { sandboxResult } from './sandbox.ts';

export interface EvaluateKitOptions {
  bricks: readonly BrickDefinition[];
  conversation: Conversation;
  context: Record<string, unknown>;
  engines: EngineRegistry;
  /** Placeholder output for every Brick; no engine (and so no model) is called. */
  sandbox: boolean;
  /** What makes sandbox output deterministic, e.g. a hash of the input. */
  seed: string;
  signal: AbortSignal;
}

export interface KitEvaluation {
  /** Results by Brick key, in the Kit's Brick order. */
  bricks: Record<string, BrickResult>;
  /** Summed over the engines that report usage (see withUsage); zeros for deterministic Bricks. */
  usage: Usage;
}

/**
 * Runs every Brick of a Kit version on one conversation. A Brick that does not accept the
 * conversation's source gets no value (and no engine call). RunFailure and other exceptions from
 * engines propagate; an abort of `signal` rejects with its reason at once.
 */
export async function evaluateKit(options: EvaluateKitOptions): Promise<KitEvaluation> {
  const { bricks, conversation, context, engines, sandbox, seed, signal } = options;
  signal.throwIfAborted();
  checkKit(bricks, engines, sandbox);
  const results = await untilAborted(
    signal,
    Promise.all(
      bricks.map(async (brick): Promise<BrickResult> => {
        if (!brick.sources.includes(conversation.source)) {
          return noValueResult(
            brick,
            conversation,
            `This Brick does not apply to ${conversation.source} conversations (it accepts ${brick.sources.join(', ')}).`,
          );
        }
        if (sandbox) return sandboxResult(brick, conversation, seed);
        const engine = engines[brick.engine];
        if (!engine) throw unknownEngine(brick);
        return engine(brick, conversation, context, signal);
      }),
    ),
  );
  signal.throwIfAborted();
  const usage: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
  const byKey: Record<string, BrickResult> = {};
  for (const [i, result] of results.entries()) {
    const brick = bricks[i];
    if (!brick) continue;
    byKey[brick.key] = result;
    const spent = usageOf(result);
    if (spent) {
      usage.input_tokens += spent.input_tokens;
      usage.output_tokens += spent.output_tokens;
      usage.model_calls += spent.model_calls;
    }
  }
  return { bricks: byKey, usage };
}

/** Fails before any engine runs, so a broken Kit never spends model calls on its other Bricks. */
function checkKit(bricks: readonly BrickDefinition[], engines: EngineRegistry, sandbox: boolean): void {
  const keys = new Set<string>();
  for (const brick of bricks) {
    if (keys.has(brick.key)) {
      throw new RunFailure(
        'internal_error',
        `Kit has Brick key "${brick.key}" more than once`,
        'This Kit is misconfigured; contact its owner.',
      );
    }
    keys.add(brick.key);
    if (!sandbox && !Object.hasOwn(engines, brick.engine)) throw unknownEngine(brick);
  }
}

function unknownEngine(brick: BrickDefinition): RunFailure {
  return new RunFailure(
    'internal_error',
    `Brick "${brick.key}" v${brick.version} uses engine "${brick.engine}", which this server does not have`,
    'This Kit uses an evaluation engine the server does not support.',
  );
}

/** Settles with `work`, or rejects with the abort reason as soon as `signal` aborts. */
function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
