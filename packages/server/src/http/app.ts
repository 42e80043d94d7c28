import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { Caller } from '../keys/caller.ts';
import { createServerMetrics, type ServerMetrics } from '../metrics/server-metrics.ts';
import type { RunsDeps } from '../runs/deps.ts';
import type { KeyRole } from '../store/records.ts';
import { StoreUnavailableError } from '../store/store-unavailable.ts';
import { ApiError, errorBody } from './api-error.ts';
import { authenticate } from './auth.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import { type BucketName, RateLimiter, rateLimitHeaders } from './rate-limiter.ts';
import { registerBrickRoutes } from './routes/bricks.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerKitRoutes } from './routes/kits.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerTestRunRoutes } from './routes/test-run.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** Role a /v1 route requires; routes without it are public. */
    role?: KeyRole;
    /** Only live keys may call it (Kit and Brick writes, SPEC §9.1). */
    liveOnly?: boolean;
    /** Which rate-limit bucket the route draws from. */
    bucket?: BucketName;
  }
}

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export interface AppOptions {
  logLevel: string;
  /** Logger destination; defaults to stdout. */
  logStream?: NodeJS.WritableStream;
  /** The process's metrics, shared with the executor and dispatcher; one is made if not given. */
  metrics?: ServerMetrics;
  /** True while first-start work runs: /readyz answers 503 until it is done. */
  isStarting?: () => boolean;
}

/** Maps framework errors (body parsing, limits) to the catalog; anything else is unexpected. */
function toApiError(error: FastifyError, isCreate: boolean): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ApiError('unavailable', { retryAfterSeconds: 5 });
  }
  if (error.statusCode === 413) return new ApiError('payload_too_large');
  if (error.statusCode === 415) return new ApiError('unsupported_media_type');
  if (error.code?.startsWith('FST_ERR_CTP_') && error.statusCode === 400) return new ApiError('invalid_json');
  if (error.statusCode === 400) return new ApiError('invalid_request', { message: error.message });
  if (isCreate) return new ApiError('run_request_failed');
  return new ApiError('run_request_failed', {
    message: 'The request could not be processed; retry shortly.',
  });
}

/** The Fastify app: request ids, JSON only, auth, rate limits, one error shape, then the routes. */
export function buildApp(deps: RunsDeps, options: AppOptions): FastifyInstance {
  const { config, store, clock, ids } = deps;
  const app = Fastify({
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.authorization'],
    },
    bodyLimit: config.maxBodyBytes,
    requestIdHeader: false,
    // Health checks are polled by load balancers: keep them out of the request log.
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/readyz',
    }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req_${ids.ulid()}`;
    },
    // Our onRequest hook answers 503 `unavailable` (catalog shape, Retry-After) while closing.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true },
    // Requests Node cannot even parse (broken headers) still get the catalog's error shape.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const tooLarge = (error as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW';
      const apiError = new ApiError(tooLarge ? 'payload_too_large' : 'invalid_request', {
        message: tooLarge ? 'The request headers are too large.' : 'The HTTP request is malformed.',
      });
      const body = JSON.stringify(errorBody(apiError, `req_${ids.ulid()}`));
      socket.end(
        `HTTP/1.1 ${apiError.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  const limiter = new RateLimiter({ create: config.rateLimitCreate, read: config.rateLimitRead }, clock);

  app.decorateRequest('caller', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      const parsed: unknown = body === '' ? undefined : JSON.parse(body as string);
      if (exceedsJsonDepth(parsed)) {
        return done(
          new ApiError('invalid_request', {
            message: `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`,
            detail: { reason: 'too_deep' },
          }),
          undefined,
        );
      }
      done(null, parsed);
    } catch {
      done(new ApiError('invalid_json', { message: 'The request body is not valid JSON.' }), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (deps.shutdown.aborted && request.url.startsWith('/v1')) {
      throw new ApiError('unavailable', { message: 'The server is shutting down.', retryAfterSeconds: 1 });
    }
    const routeConfig = request.routeOptions.config;
    if (!routeConfig.role) return;
    request.caller = await authenticate(store, clock, request.headers.authorization, {
      role: routeConfig.role,
      liveOnly: routeConfig.liveOnly ?? false,
    });
    const bucket = routeConfig.bucket ?? 'read';
    const decision = limiter.take(request.caller.keyId, bucket);
    if (!decision) return;
    reply.headers(rateLimitHeaders(bucket, decision));
    if (!decision.allowed) {
      throw new ApiError('rate_limited', {
        message: `Rate limit of ${decision.limit} ${bucket === 'create' ? 'writes (run creations, Kit, Brick and webhook changes, tests)' : 'reads'} per minute exceeded.`,
        detail: { reason: 'rate_limit', bucket },
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
  });

  const metrics = options.metrics ?? createServerMetrics(store);
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: run ids would make every series unique.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request.routeOptions.url === '/v1/runs' && request.method === 'POST');
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (apiError.retryAfterSeconds !== undefined)
      reply.header('Retry-After', String(apiError.retryAfterSeconds));
    reply.headers(apiError.headers);
    void reply.status(apiError.status).type('application/json').send(errorBody(apiError, request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('not_found', {
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    });
    void reply.status(404).send(errorBody(error, request.id));
  });

  registerHealthRoutes(app, deps, options.isStarting ?? (() => false));
  registerRunRoutes(app, deps);
  registerTestRunRoutes(app, deps);
  registerKitRoutes(app, deps);
  registerBrickRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerMetricsRoutes(app, metrics);
  registerDocsRoutes(app);
  return app;
}
