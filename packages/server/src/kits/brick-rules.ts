import type { BrickIssue, CheckedBrick } from '../engines/engine-plugin.ts';
import { enginePlugin } from '../engines/registry.ts';

export type { BrickIssue };

/**
 * What a Brick needs beyond its schema to be run: an output type its engine can give, the engine's
 * own checks (its settings among them), a sensible range. Checked when a Brick is written, so a
 * Brick that could only ever fail its runs is refused up front instead of failing each run.
 */
export function brickIssues(brick: CheckedBrick): BrickIssue[] {
  const issues: BrickIssue[] = [];
  const output = brick.output;
  if (
    (output.type === 'score' || output.type === 'number') &&
    output.min !== undefined &&
    output.max !== undefined &&
    output.min > output.max
  ) {
    issues.push({ path: ['output', 'max'], message: 'must not be below min' });
  }
  const plugin = enginePlugin(brick.engine);
  // An engine this server does not have is refused by the engine field's own schema.
  if (!plugin) return issues;
  if (!plugin.outputs.includes(output.type)) {
    issues.push({
      path: ['output', 'type'],
      message: `the ${plugin.name} engine gives ${plugin.outputs.join(', ')}, not "${output.type}"`,
    });
  }
  issues.push(...plugin.check(brick));
  return issues;
}
