import { ApiError, errorBody } from '../../errors/api-error.ts';
import { ErrorBody, Health, Readiness } from '../response-schemas.ts';
import { answer, defineRoute } from '../route.ts';

/** Liveness: the process answers. */
export const healthRoute = defineRoute({
  operationId: 'health',
  method: 'GET',
  path: '/healthz',
  tag: 'Operations',
  summary: 'Liveness',
  access: null,
  responses: {
    200: { description: 'Up', schema: Health },
  },
  errors: [],
  handler: async () => answer(200, { status: 'ok' }),
});

/** Readiness: first-start setup done, storage answers, not shutting down. */
export const readyRoute = defineRoute({
  operationId: 'ready',
  method: 'GET',
  path: '/readyz',
  tag: 'Operations',
  summary: 'Readiness: first-start setup done, storage reachable, not shutting down',
  access: null,
  responses: {
    200: {
      description: 'Ready',
      schema: Readiness,
    },
    503: {
      description: 'unavailable: starting, shutting down, or storage unreachable',
      schema: ErrorBody,
      headers: { 'Retry-After': true },
    },
  },
  errors: ['unavailable'],
  handler: async ({ deps, request }) => {
    if (deps.isStarting()) {
      // A state, not a failure: answered here rather than thrown, so that a script polling it
      // while the first start runs does not fill the log with errors.
      const starting = new ApiError('unavailable', {
        message: 'The server is starting: creating the first workspace, its keys and the starter Kits.',
        retryAfterSeconds: 1,
      });
      return answer(503, errorBody(starting, request.id), { 'Retry-After': '1' });
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
    return answer(200, { status: 'ready', store: deps.store.dialect });
  },
});

export const HEALTH_ROUTES = [healthRoute, readyRoute];
