import type { ActiveRun, BrickResultsOf, FinishedRun, Run } from '../types/run.ts';

/**
 * Only `queued` and `running` are worth waiting on. Everything else is treated as final — including
 * a status this SDK does not know yet — so a wait can never spin on an unexpected status.
 */
export function isActive<B extends BrickResultsOf<B>>(run: Run<B>): run is ActiveRun {
  return run.status === 'queued' || run.status === 'running';
}

export function isFinished<B extends BrickResultsOf<B>>(run: Run<B>): run is FinishedRun<B> {
  return !isActive(run);
}
