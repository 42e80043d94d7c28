import type { FastifyInstance } from 'fastify';
import type { RunsDeps } from '../../runs/deps.ts';
import { ApiError } from '../api-error.ts';

/**
 * Liveness (the process answers) and readiness (first-start setup done, storage answers, not
 * shutting down).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: Pick<RunsDeps, 'store' | 'shutdown'>,
  isStarting: () => boolean,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    if (isStarting()) {
      throw new ApiError('unavailable', {
        message: 'The server is starting: creating the first workspace, its keys and the starter Kits.',
        retryAfterSeconds: 1,
      });
    }
    if (deps.shutdown.aborted) {
      throw new ApiError('unavailable', { message: 'The server is shutting down.', retryAfterSeconds: 1 });
    }
    try {
      await deps.store.ping();
    } catch (error) {
      throw new ApiError('unavailable', {
        message: `Storage is unreachable: ${(error as Error).message}`,
        retryAfterSeconds: 5,
      });
    }
    return { status: 'ready', store: deps.store.dialect };
  });
}
