import { MISCONFIGURED_KIT_USER_MESSAGE, RunFailure } from '../errors/run-failure.ts';
import type { BrickDefinition } from '../kits/brick.ts';
import type { KitModelSettings } from '../kits/records.ts';
import { addUsage, type BrickResult, type Usage } from './brick-result.ts';
import { noValueResult } from './build-result.ts';
import type { Conversation } from './conversation.ts';
import type { EngineRegistry } from './engine.ts';
import { sandboxResult } from './sandbox.ts';

export interface EvaluateKitOptions {
  bricks: readonly BrickDefinition[];
  conversation: Conversation;
  /** The PreparedInput JSON the conversation came from, when the caller has it (EngineInput). */
  preparedJson?: string;
  context: Record<string, unknown>;
  engines: EngineRegistry;
  /** The Kit version's model settings, passed to engines. */
  model: KitModelSettings;
  /** Placeholder output for every Brick; no engine (and so no model) is called. */
  sandbox: boolean;
  /** What makes sandbox output deterministic, e.g. a hash of the input. */
  seed: string;
  workspaceId: string;
  signal: AbortSignal;
  /** Passed to engines: model spending as it happens (EngineInput). */
  onUsage?: (usage: Usage) => void;
}

export interface KitEvaluation {
  /** Results by Brick key, in the Kit's Brick order. */
  bricks: Record<string, BrickResult>;
  /** Summed over the engines that report usage; zeros for deterministic Bricks. */
  usage: Usage;
  /** Keys of the Bricks that could not be judged, in the Kit's order (SPEC §11.4). */
  incomplete: string[];
}

/**
 * Runs every Brick of a Kit version on one conversation. A Brick that does not accept the
 * conversation's source gets no value (and no engine call). RunFailure and other exceptions from
 * engines propagate; an abort of `signal` rejects with its reason at once.
 */
export async function evaluateKit(options: EvaluateKitOptions): Promise<KitEvaluation> {
  const { bricks, conversation, context, engines, sandbox, seed, signal, model, workspaceId } = options;
  signal.throwIfAborted();
  checkKit(bricks, engines, sandbox);
  const byKey: Record<string, BrickResult> = {};
  // Each engine gets all of its Bricks at once (the llm engine batches them into one model call).
  const groups = new Map<string, BrickDefinition[]>();
  for (const brick of bricks) {
    if (!brick.sources.includes(conversation.source)) {
      byKey[brick.key] = noValueResult(
        brick,
        conversation,
        `This Brick does not apply to ${conversation.source} conversations (it accepts ${brick.sources.join(', ')}).`,
      );
    } else if (sandbox) {
      byKey[brick.key] = sandboxResult(brick, conversation, seed);
    } else {
      groups.set(brick.engine, [...(groups.get(brick.engine) ?? []), brick]);
    }
  }
  const outputs = await untilAborted(
    signal,
    Promise.all(
      [...groups].map(([name, group]) => {
        const engine = engines[name];
        if (!engine) throw unknownEngine(group[0]!);
        const input = {
          bricks: group,
          conversation,
          context,
          model,
          workspaceId,
          signal,
          ...(options.onUsage ? { onUsage: options.onUsage } : {}),
        };
        return engine(
          options.preparedJson === undefined ? input : { ...input, preparedJson: options.preparedJson },
        );
      }),
    ),
  );
  signal.throwIfAborted();
  let usage: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
  const failed = new Set<string>();
  for (const output of outputs) {
    Object.assign(byKey, output.results);
    for (const key of output.incomplete ?? []) failed.add(key);
    if (output.usage) usage = addUsage(usage, output.usage);
  }
  const ordered: Record<string, BrickResult> = {};
  for (const brick of bricks) {
    const result = byKey[brick.key];
    if (!result) throw new Error(`engine "${brick.engine}" returned no result for Brick "${brick.key}"`);
    ordered[brick.key] = result;
  }
  const incomplete = bricks.map((b) => b.key).filter((key) => failed.has(key));
  if (incomplete.length > 0 && (incomplete.length === bricks.length || model.fail_on_brick_error === true)) {
    throw incompleteFailure(ordered, incomplete, bricks.length, usage);
  }
  return { bricks: ordered, usage, incomplete };
}

/**
 * A Kit whose every Brick failed, or that asked to fail on any Brick error, fails the run with the
 * first Brick's error code (`output_invalid` or `model_refused`), its usage counted.
 */
function incompleteFailure(
  results: Record<string, BrickResult>,
  incomplete: readonly string[],
  total: number,
  usage: Usage,
): RunFailure {
  const first = results[incomplete[0]!]?.error;
  const code = first?.code === 'model_refused' ? 'model_refused' : 'output_invalid';
  const which =
    incomplete.length === total
      ? 'No Brick could be judged'
      : `Brick${incomplete.length === 1 ? '' : 's'} ${incomplete.map((k) => `"${k}"`).join(', ')} could not be judged (fail_on_brick_error)`;
  return new RunFailure(code, `${which}: "${incomplete[0]}": ${first?.message ?? 'no usable answer'}`, {
    usage: usage,
  });
}

/** Fails before any engine runs, so a broken Kit never spends model calls on its other Bricks. */
function checkKit(bricks: readonly BrickDefinition[], engines: EngineRegistry, sandbox: boolean): void {
  const keys = new Set<string>();
  for (const brick of bricks) {
    if (keys.has(brick.key)) {
      throw new RunFailure('internal_error', `Kit has Brick key "${brick.key}" more than once`, {
        userMessage: MISCONFIGURED_KIT_USER_MESSAGE,
      });
    }
    keys.add(brick.key);
    if (!sandbox && !Object.hasOwn(engines, brick.engine)) throw unknownEngine(brick);
  }
}

function unknownEngine(brick: BrickDefinition): RunFailure {
  return new RunFailure(
    'internal_error',
    `Brick "${brick.key}" v${brick.version} uses engine "${brick.engine}", which this server does not have`,
    { userMessage: MISCONFIGURED_KIT_USER_MESSAGE },
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
