import type { BrickIssue, EnginePlugin } from '../engine-plugin.ts';
import { compilePatterns } from './guarded-patterns.ts';

/** The `tracker` engine: phrases and patterns, negation-aware (docs/signals.md §4), no model. */
export const trackerPlugin = {
  name: 'tracker' as const,
  description: 'whether, how often or which tracked phrases and patterns came up, deterministic',
  outputs: ['boolean', 'number', 'string_list'],
  runsOn: 'engine-thread',
  example: { tracker: { phrases: ['demo', 'trial'] }, output: { type: 'boolean' } },
  check(brick) {
    const tracker = brick.tracker;
    if (!tracker) return [{ path: ['tracker'], message: 'required for the tracker engine' }];
    const issues: BrickIssue[] = [];
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
    return issues;
  },
  async load() {
    const { createTrackerEngine } = await import('./tracker-engine.ts');
    return ({ quarantine, patternBudgetMs }) => createTrackerEngine({ quarantine, patternBudgetMs });
  },
} satisfies EnginePlugin;

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
