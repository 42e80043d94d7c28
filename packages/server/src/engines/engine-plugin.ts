import type { Config } from '../config.ts';
import type { Engine } from '../evaluation/engine.ts';
import type { BrickDefinition, OutputSpec } from '../kits/brick.ts';
import type { ENGINE_SETTINGS } from './settings.ts';
import type { PatternQuarantine } from './tracker/guarded-patterns.ts';

/** A problem with a Brick definition, at a path of its fields. */
export interface BrickIssue {
  path: (string | number)[];
  message: string;
}

/** What an engine's checks see of a Brick: its engine, its output, and every engine's settings. */
export type CheckedBrick = Pick<BrickDefinition, 'engine' | 'output' | keyof typeof ENGINE_SETTINGS>;

/** What an engine is made with: the server's settings, and state shared across runs. */
export interface EngineContext {
  /** Null on an engine thread, whose engines need no server settings. */
  config: Readonly<Config> | null;
  /** Slow tracker patterns, per workspace. */
  quarantine: PatternQuarantine;
  patternBudgetMs: number;
}

/**
 * One engine, self-contained in its folder (engines/<name>/): what it is called, the output types
 * it can give, the checks of a Brick definition that names it (its settings included), where it
 * runs, and how its run function is made. Everything else (the engine list, Brick validation, the
 * documented settings, the HTTP-thread split) is derived from the registry of these.
 */
export interface EnginePlugin {
  name: string;
  /** One line for the API reference. */
  description: string;
  outputs: readonly OutputSpec['type'][];
  /**
   * `engine-thread`: CPU-bound and deterministic, run off the HTTP thread (SPEC §9.4).
   * `main`: waits on I/O (a model), run where the executor runs.
   */
  runsOn: 'engine-thread' | 'main';
  /** A small valid Brick of this engine (its engine-specific fields), for the docs and the case suite. */
  example: { output: OutputSpec } & Record<string, unknown>;
  /** Checks beyond the schema, so a Brick that could only fail its runs is refused when written. */
  check(brick: CheckedBrick): BrickIssue[];
  /** The run function; loaded on demand, so a thread loads only the engines it runs. */
  load(): Promise<(context: EngineContext) => Engine>;
}
