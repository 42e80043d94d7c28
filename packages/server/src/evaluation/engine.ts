import type { BrickDefinition } from '../kits/brick.ts';
import type { BrickResult, Usage } from './brick-result.ts';
import type { Conversation } from './conversation.ts';

/**
 * Every engine judges one Brick on one conversation. Engines throw RunFailure to fail the run with
 * a specific code; any other exception is an internal error. They should stop when `signal` aborts.
 */
export type Engine = (
  brick: BrickDefinition,
  conversation: Conversation,
  context: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<BrickResult>;

/** Engines by the name a Brick's `engine` field uses. */
export type EngineRegistry = Readonly<Record<string, Engine>>;

// Model usage travels beside a result rather than inside it, so it never reaches the run output.
const usageOfResult = new WeakMap<BrickResult, Usage>();

/** For model-backed engines: records what producing `result` cost; returns the same result. */
export function withUsage(result: BrickResult, usage: Usage): BrickResult {
  usageOfResult.set(result, usage);
  return result;
}

/** What an engine reported for `result` with withUsage; undefined for deterministic engines. */
export function usageOf(result: BrickResult): Usage | undefined {
  return usageOfResult.get(result);
}
