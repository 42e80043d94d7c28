import type { FastifyInstance } from 'fastify';
import { ApiError, errorBody } from '../../errors/api-error.ts';
import type { RunsDeps } from '../../runs/deps.ts';

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
  app.get('/readyz', async (request, reply) => {
    if (isStarting()) {
      // A state, not a failure: answered here rather than thrown, so that a script polling it
      // while the first start runs does not fill the log with errors.
      const starting = new ApiError('unavailable', {
        message: 'The server is starting: creating the first workspace, its keys and the starter Kits.',
        retryAfterSeconds: 1,
      });
      return reply.code(starting.status).header('Retry-After', '1').send(errorBody(starting, request.id));
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
