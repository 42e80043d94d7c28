import { z } from 'zod';
import type { Config } from '../config.ts';
import { invalidRequest } from '../errors/invalid-request.ts';
import type { BrickIssue } from './brick-rules.ts';
import { type KitFile, wholeFileKitIssues } from './kit-file.ts';

/**
 * The configured limits of SPEC §9.3 on what a Kit and a tracker Brick hold. The schemas enforce
 * the ceilings (`kit-limit-ceilings.ts`) and config.ts refuses a limit above one, so a configured
 * limit can only be lower. The use cases that write Kits and Bricks check it after the schema, the
 * way the schema checks the ceiling: same zod check, so the same `invalid_request`, field path and
 * message, with the configured number.
 */
export type KitLimits = Pick<Readonly<Config>, 'maxKitBricks' | 'maxTrackerPhrases' | 'maxTrackerPatterns'>;

const atMost = (max: number) => z.array(z.unknown()).max(max);

/** The fields of a Brick a limit applies to (every other field passes). */
function limitedBrick(limits: KitLimits) {
  return z.looseObject({
    tracker: z
      .looseObject({
        phrases: atMost(limits.maxTrackerPhrases).optional(),
        patterns: atMost(limits.maxTrackerPatterns).optional(),
      })
      .optional(),
  });
}

function limitedKit(limits: KitLimits) {
  return z.looseObject({ bricks: atMost(limits.maxKitBricks).optional() });
}

function check(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(result.error);
}

/** A Brick definition of a request: 400 `invalid_request` at `tracker.phrases` or `tracker.patterns`. */
export function checkBrickLimits(limits: KitLimits, brick: unknown): void {
  check(limitedBrick(limits), brick);
}

/** A Kit or Kit version request: 400 `invalid_request` at `bricks`. */
export function checkKitLimits(limits: KitLimits, kit: unknown): void {
  check(limitedKit(limits), kit);
}

/** The same limits on a parsed Kit file: its problems, at their paths in the file. */
export function kitFileLimitIssues(limits: KitLimits, file: KitFile): BrickIssue[] {
  const result = z
    .looseObject({ bricks: z.array(limitedBrick(limits)), kit: limitedKit(limits).optional() })
    .safeParse(file);
  const issues: BrickIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: issue.path as (string | number)[],
        message: issue.message,
      }));
  return [...issues, ...wholeFileKitIssues(file, limits.maxKitBricks)];
}
