import type { BrickDefinition } from '../kits/brick.ts';
import type { KitModelSettings } from '../kits/records.ts';
import type { BrickResult, Usage } from './brick-result.ts';
import type { Conversation } from './conversation.ts';

/** What an engine is given: every Brick of the Kit version that names it, and the conversation. */
export interface EngineInput {
  bricks: readonly BrickDefinition[];
  conversation: Conversation;
  /**
   * The PreparedInput JSON the conversation and context came from, when there is one: an engine on
   * another thread sends this string (a copy) rather than the objects (a clone, turn by turn).
   */
  preparedJson?: string;
  context: Record<string, unknown>;
  /** The Kit version's model settings (the llm engine's per-Kit override). */
  model: KitModelSettings;
  /** The run's workspace: shared engine state (queues, quarantines) is kept per workspace. */
  workspaceId: string;
  signal: AbortSignal;
  /**
   * Told of model spending as it happens (a call when sent, tokens when answered), so a run stopped
   * mid-call reports what it spent (SPEC §11.4); the output's `usage` is the total of a finished run.
   */
  onUsage?: (usage: Usage) => void;
}

export interface EngineOutput {
  /** One result per Brick given, by Brick key. */
  results: Record<string, BrickResult>;
  /** Model usage; absent for deterministic engines. */
  usage?: Usage;
  /** Keys of the Bricks given that could not be judged: their results carry an `error`. */
  incomplete?: string[];
}

/**
 * An engine judges a group of Bricks at once, so a model-backed engine can send the conversation
 * once for all of them. Engines throw RunFailure to fail the run with a specific code; any other
 * exception is an internal error. They should stop when `signal` aborts.
 */
export type Engine = (input: EngineInput) => Promise<EngineOutput>;

/** Deterministic engines judge one Brick at a time. */
export type BrickEngine = (
  brick: BrickDefinition,
  conversation: Conversation,
  context: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<BrickResult>;

/** Engines by the name a Brick's `engine` field uses. */
export type EngineRegistry = Readonly<Record<string, Engine>>;

/** Runs a one-Brick engine over each Brick of the group. */
export function perBrick(engine: BrickEngine): Engine {
  return async ({ bricks, conversation, context, signal }) => {
    const results = await Promise.all(bricks.map((brick) => engine(brick, conversation, context, signal)));
    return { results: Object.fromEntries(bricks.map((brick, i) => [brick.key, results[i]!])) };
  };
}
