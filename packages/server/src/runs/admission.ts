import type { RunsDeps } from './deps.ts';
import { createPollHint } from './poll-hint.ts';

/** Queue-depth advice and the per-workspace queued-runs cap, each cached briefly for the hot path. */
export function createAdmission(deps: Pick<RunsDeps, 'store' | 'clock' | 'config'>) {
  const pollHintSeconds = createPollHint(deps.store, deps.clock, deps.config.workerConcurrency);
  /** Last count, plus the runs this process created since (an over-estimate: some already started). */
  const queued = new Map<string, { at: number; count: number; created: number }>();
  return {
    pollHintSeconds,
    async queuedRuns(workspaceId: string): Promise<number> {
      const now = deps.clock.now();
      const cached = queued.get(workspaceId);
      const estimate = cached ? cached.count + cached.created : 0;
      // Far from the cap a brief estimate will do; close to it, count every time so the cap is exact.
      if (cached && now - cached.at < 250 && estimate < deps.config.maxQueuedRuns * 0.9) return estimate;
      const count = await deps.store.countQueuedRuns(workspaceId, deps.config.maxQueuedRuns);
      queued.set(workspaceId, { at: now, count, created: 0 });
      return count;
    },
    noteCreated(workspaceId: string): void {
      const cached = queued.get(workspaceId);
      if (cached) cached.created++;
    },
  };
}
