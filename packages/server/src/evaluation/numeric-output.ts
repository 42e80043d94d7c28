import type { BrickDefinition } from '../kits/brick.ts';

/**
 * Throws when a Brick computed as a number has a non-numeric output type: that is a mistake in
 * the Kit, not in the conversation, so it must not pass as a null result.
 */
export function assertNumericOutput(brick: BrickDefinition, measure: string): void {
  if (brick.output.type !== 'number' && brick.output.type !== 'score') {
    throw new Error(
      `Brick "${brick.key}" v${brick.version}: ${measure} is a number, but the Brick's output type is "${brick.output.type}" (use number or score)`,
    );
  }
}

/** Rounds a computed number and clamps it into the output's min/max where the output sets them. */
export function fitNumber(brick: BrickDefinition, value: number, decimals: number): number {
  const factor = 10 ** decimals;
  let fitted = Math.round(value * factor) / factor;
  const output = brick.output;
  if (output.type === 'number' || output.type === 'score') {
    if (output.min !== undefined) fitted = Math.max(output.min, fitted);
    if (output.max !== undefined) fitted = Math.min(output.max, fitted);
  }
  return fitted;
}
