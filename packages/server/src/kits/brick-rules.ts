import { compilePatterns } from '../evaluation/engines/guarded-patterns.ts';
import type { BrickDefinition } from './brick.ts';

export interface BrickIssue {
  path: (string | number)[];
  message: string;
}

const METRIC_OUTPUTS = ['number', 'score'];
const TRACKER_OUTPUTS = ['boolean', 'number', 'string_list'];

/**
 * What a Brick needs beyond its schema to be run: settings its engine needs, an output type the
 * engine can give, a sensible range. Checked when a Brick is written, so a Brick that could only
 * ever fail its runs is refused up front instead of failing each run with internal_error.
 */
export function brickIssues(
  brick: Pick<BrickDefinition, 'engine' | 'output' | 'metric' | 'tracker'>,
): BrickIssue[] {
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
  if (brick.engine === 'metric') {
    if (!brick.metric) issues.push({ path: ['metric'], message: 'required for the metric engine' });
    if (!METRIC_OUTPUTS.includes(brick.output.type)) {
      issues.push({
        path: ['output', 'type'],
        message: `the metric engine gives a number: use ${METRIC_OUTPUTS.join(' or ')}, not "${brick.output.type}"`,
      });
    }
  }
  if (brick.engine === 'tracker') {
    if (!TRACKER_OUTPUTS.includes(brick.output.type)) {
      issues.push({
        path: ['output', 'type'],
        message: `the tracker engine gives ${TRACKER_OUTPUTS.join(', ')}, not "${brick.output.type}"`,
      });
    }
    const tracker = brick.tracker;
    if (!tracker) {
      issues.push({ path: ['tracker'], message: 'required for the tracker engine' });
    } else {
      if (tracker.phrases.length === 0 && tracker.patterns.length === 0) {
        issues.push({ path: ['tracker'], message: 'needs at least one phrase or pattern to look for' });
      }
      // A duplicate would be counted twice, and costs its scan twice (SPEC §9.3).
      issues.push(
        ...duplicates(tracker.phrases, ['tracker', 'phrases'], (phrase) => phrase.trim().toLowerCase()),
      );
      issues.push(...duplicates(tracker.patterns, ['tracker', 'patterns'], (pattern) => pattern));
      tracker.patterns.forEach((pattern, i) => {
        try {
          // The engine's own compiler, so "valid here" means "runs there".
          compilePatterns([pattern], 'pattern');
        } catch {
          issues.push({ path: ['tracker', 'patterns', i], message: 'not a valid regular expression' });
        }
      });
    }
  }
  return issues;
}

/** An issue at each item equal (by `key`) to an earlier one. */
function duplicates(items: readonly string[], path: string[], key: (item: string) => string): BrickIssue[] {
  const seen = new Map<string, number>();
  const issues: BrickIssue[] = [];
  items.forEach((item, i) => {
    const first = seen.get(key(item));
    if (first === undefined) seen.set(key(item), i);
    else issues.push({ path: [...path, i], message: `duplicate of item ${first}` });
  });
  return issues;
}
