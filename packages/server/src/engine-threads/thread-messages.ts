import { type RunErrorCode, RunFailure } from '../errors/run-failure.ts';
import type { Conversation } from '../evaluation/conversation.ts';
import type { EngineOutput } from '../evaluation/engine.ts';
import type { ConversationLimits } from '../evaluation/prepare-input.ts';
import type { BrickDefinition } from '../kits/brick.ts';

/** Work an engine thread does; each is answered by one ThreadReply with the same id. */
export type ThreadRequest =
  | { kind: 'prepare'; inputJson: string; limits: ConversationLimits }
  | {
      kind: 'evaluate';
      /** An engine of the registry that runs on engine threads. */
      engine: string;
      bricks: readonly BrickDefinition[];
      /** PreparedInput JSON, or the objects when the caller had no JSON. */
      input: { preparedJson: string } | { conversation: Conversation; context: Record<string, unknown> };
      workspaceId: string;
      /** The workspace's quarantined patterns (PatternQuarantine keys) when the work was sent. */
      quarantined: string[];
      patternBudgetMs: number;
    };

export interface EvaluateReply {
  output: EngineOutput;
  /** Patterns this work found past the per-pattern limit, to quarantine for the workspace. */
  quarantined: string[];
}

/** An error crossing the thread boundary: a RunFailure keeps its code and user message. */
export type ThreadError =
  | { type: 'RunFailure'; code: RunErrorCode; message: string; userMessage: string }
  | { type: 'Error'; message: string; stack?: string };

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof RunFailure) {
    return { type: 'RunFailure', code: error.code, message: error.message, userMessage: error.userMessage };
  }
  const thrown = error instanceof Error ? error : new Error(String(error));
  return { type: 'Error', message: thrown.message, ...(thrown.stack ? { stack: thrown.stack } : {}) };
}

export function fromThreadError(error: ThreadError): Error {
  if (error.type === 'RunFailure')
    return new RunFailure(error.code, error.message, { userMessage: error.userMessage });
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
