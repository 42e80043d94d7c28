import type { Config } from '../config.ts';
import { RUN_FAILURES, RunFailure } from '../errors/run-failure.ts';
import { addUsage, type Usage } from '../evaluation/brick-result.ts';
import type { EngineRegistry } from '../evaluation/engine.ts';
import { evaluateKit } from '../evaluation/evaluate-kit.ts';
import { type Preparation, parsePreparedInput } from '../evaluation/prepare-input.ts';
import { reuseKey } from '../reuse/reuse-key.ts';
import type { ClaimedRun, RunOutcome } from '../store/records.ts';
import { ExecutionAborted } from './abort-reasons.ts';
import type { KitVersionCache } from './kit-version-cache.ts';

export type ExecutionResult =
  | { kind: 'outcome'; outcome: RunOutcome }
  /**
   * No outcome to write: the run was cancelled or re-leased elsewhere, or is being handed back.
   * `usageJson` is what its model calls spent before the abort, when it made any (SPEC §11.4).
   */
  | { kind: 'aborted'; reason: ExecutionAborted['kind']; usageJson: string | null };

/**
 * Evaluates one claimed run and turns whatever happens into the outcome to store. Never throws:
 * unexpected errors become `internal_error` (logged by the caller, never shown to clients).
 */
export async function executeRun(
  deps: {
    kitVersions: KitVersionCache;
    engines: EngineRegistry;
    /** Prepares the input of a run stored before inputs were prepared at creation. */
    prepare: (run: ClaimedRun) => Promise<Preparation>;
    onUnexpectedError: (error: unknown) => void;
    /** The model settings runs of a Kit are judged with: part of what `reuse` compares. */
    config: Pick<Config, 'modelProvider' | 'model' | 'modelBaseUrl' | 'modelApiKey'>;
    /** The newest earlier run with this reuse key, and its output (SPEC §11.5). */
    findReusable: (
      workspaceId: string,
      reuseKey: string,
    ) => Promise<{ runId: string; outputJson: string } | null>;
  },
  run: ClaimedRun,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  // What the model calls spent so far, as they happen: all that is known of a run stopped mid-call.
  let spent: Usage = { input_tokens: 0, output_tokens: 0, model_calls: 0 };
  const spentJson = () => (spent.model_calls > 0 ? JSON.stringify(spent) : null);
  try {
    const kitVersion = await deps.kitVersions.get(run.kitVersionId);
    if (!kitVersion) throw new Error(`Kit version ${run.kitVersionId} of run ${run.id} is missing`);
    const preparedJson = await preparedInput(run, deps.prepare);
    const { conversation, context, inputSha256 } = parsePreparedInput(preparedJson);
    signal.throwIfAborted();
    const key = reuseKey(deps.config, kitVersion, run, conversation, context);
    const earlier = key === null ? null : await deps.findReusable(run.workspaceId, key);
    signal.throwIfAborted();
    if (earlier) return reused(earlier, key!);
    // evaluateKit rejects with the abort reason as soon as the signal aborts, even if an engine
    // ignores it, so a slot is never held past a cancellation or the deadline.
    const result = await evaluateKit({
      bricks: kitVersion.bricks,
      conversation,
      preparedJson,
      context,
      engines: deps.engines,
      model: kitVersion.model,
      sandbox: run.runType === 'sandbox',
      // Sandbox output is deterministic from the input (SPEC §3.8).
      seed: inputSha256,
      workspaceId: run.workspaceId,
      signal,
      onUsage: (usage) => {
        spent = addUsage(spent, usage);
      },
    });
    const complete = result.incomplete.length === 0;
    return {
      kind: 'outcome',
      outcome: {
        status: 'succeeded',
        outputJson: JSON.stringify({
          kit_code: run.kitCode,
          kit_version_id: run.kitVersionId,
          bricks: result.bricks,
          ...(complete ? {} : { incomplete_bricks: result.incomplete }),
        }),
        usageJson: JSON.stringify(result.usage),
        // Only a complete output is worth reusing: a partial one would be served again and again.
        reuseKey: complete ? key : null,
      },
    };
  } catch (error) {
    const reason = signal.aborted ? signal.reason : null;
    if (reason instanceof ExecutionAborted) {
      if (reason.kind === 'deadline') {
        return {
          kind: 'outcome',
          outcome: {
            status: 'failed',
            errorCode: 'execution_timeout',
            errorMessage: RUN_FAILURES.execution_timeout.message,
            errorUserMessage: RUN_FAILURES.execution_timeout.userMessage,
            usageJson: spentJson(),
          },
        };
      }
      return { kind: 'aborted', reason: reason.kind, usageJson: spentJson() };
    }
    if (error instanceof RunFailure) {
      return {
        kind: 'outcome',
        outcome: {
          status: 'failed',
          errorCode: error.code,
          errorMessage: error.message,
          errorUserMessage: error.userMessage,
          // The calls made before the failure are counted on the run (SPEC §11.4).
          usageJson: error.usage && error.usage.model_calls > 0 ? JSON.stringify(error.usage) : null,
        },
      };
    }
    deps.onUnexpectedError(error);
    return {
      kind: 'outcome',
      outcome: {
        status: 'failed',
        errorCode: 'internal_error',
        errorMessage: RUN_FAILURES.internal_error.message,
        errorUserMessage: RUN_FAILURES.internal_error.userMessage,
        usageJson: null,
      },
    };
  }
}

/**
 * The output of an earlier identical run, taken as this run's (SPEC §11.5): no model call, zero
 * usage, and `reused_from` naming the run that was judged (the first, when that one was reused too).
 */
function reused(earlier: { runId: string; outputJson: string }, key: string): ExecutionResult {
  const output = JSON.parse(earlier.outputJson) as Record<string, unknown>;
  const from = typeof output['reused_from'] === 'string' ? output['reused_from'] : earlier.runId;
  return {
    kind: 'outcome',
    outcome: {
      status: 'succeeded',
      outputJson: JSON.stringify({ ...output, reused_from: from }),
      usageJson: JSON.stringify({ input_tokens: 0, output_tokens: 0, model_calls: 0 }),
      reuseKey: key,
    },
  };
}

/** The input as prepared at creation; a run stored before that was kept is prepared now. */
async function preparedInput(
  run: ClaimedRun,
  prepare: (run: ClaimedRun) => Promise<Preparation>,
): Promise<string> {
  if (run.preparedJson !== null) return run.preparedJson;
  const preparation = await prepare(run);
  if (preparation.ok) return preparation.preparedJson;
  // Accepted before the limits of SPEC §9.3 existed, and past them: not evaluated.
  if (preparation.problem.code === 'input_too_large') {
    throw new RunFailure('input_too_large', preparation.problem.message);
  }
  throw new Error(`run ${run.id} has an input that cannot be evaluated: ${preparation.problem.message}`);
}
