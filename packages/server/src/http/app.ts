import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { registerConsoleRoutes } from '../console/console-routes.ts';
import { CSRF_HEADER, sessionTokenOf } from '../console/session-cookie.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Caller } from '../keys/caller.ts';
import { KeyUsage } from '../keys/key-usage.ts';
import type { KeyRole } from '../keys/records.ts';
import { registerMcpRoutes } from '../mcp/mcp-route.ts';
import { createServerMetrics, type ServerMetrics } from '../metrics/server-metrics.ts';
import type { RunsDeps } from '../runs/deps.ts';
import { createPollHint } from '../runs/poll-hint.ts';
import { authenticate } from './auth.ts';
import { connectionErrorHandler, RequestsBySocket } from './connection-errors.ts';
import { sendError, toApiError } from './error-reply.ts';
import { REQUEST_ID } from './http-headers.ts';
import { httpTimeouts, MAX_HEADER_COUNT, MAX_PARAM_LENGTH, MAX_URL_LENGTH } from './http-limits.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import { type BucketName, RateLimiter, rateLimited, rateLimitHeaders } from './rate-limiter.ts';
import { registerRoutes } from './register-routes.ts';
import { rejectRepeatedHeader } from './repeated-headers.ts';
import { ROUTES } from './route-table.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';

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

export interface AppOptions {
  logLevel: string;
  /** Logger destination; defaults to stdout. */
  logStream?: NodeJS.WritableStream;
  /** The process's metrics, shared with the executor and dispatcher; one is made if not given. */
  metrics?: ServerMetrics;
  /** True while first-start work runs: /readyz answers 503 until it is done. */
  isStarting?: () => boolean;
}

/** The Fastify app: request ids, JSON only, auth, rate limits, one error shape, then the routes. */
export function buildApp(deps: RunsDeps, options: AppOptions): FastifyInstance {
  const { config, store, clock, ids } = deps;
  const requests = new RequestsBySocket();
  const app = Fastify({
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
    bodyLimit: config.maxBodyBytes,
    ...httpTimeouts(config),
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
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // The router's own errors (bad percent-encoding, a too long parameter) in the catalog's shape.
    frameworkErrors: (error, request, reply) => sendError(request, reply, toApiError(error, false)),
    // Requests Node cannot parse, or that time out, still get the catalog's error shape.
    clientErrorHandler: connectionErrorHandler(requests, () => `req_${ids.ulid()}`),
  });
  const limiter = new RateLimiter({ create: config.rateLimitCreate, read: config.rateLimitRead }, clock);
  const keyUsage = new KeyUsage({
    store,
    clock,
    onError: (error) => app.log.warn({ err: error }, 'could not record when API keys were last used'),
  });
  // After the routes are done, before server.ts closes the store.
  app.addHook('onClose', async () => keyUsage.flush());

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
    requests.receiving(reply);
    reply.header('X-Request-Id', request.id);
    if (request.url.length > MAX_URL_LENGTH) throw new ApiError('url_too_long');
    if (request.raw.rawHeaders.length / 2 > MAX_HEADER_COUNT) throw new ApiError('headers_too_large');
    rejectRepeatedHeader(request, 'Authorization');
    rejectRepeatedHeader(request, 'Content-Type');
    rejectRepeatedHeader(request, CSRF_HEADER);
    if (deps.shutdown.aborted && request.url.startsWith('/v1')) {
      throw new ApiError('unavailable', { message: 'The server is shutting down.', retryAfterSeconds: 1 });
    }
    const routeConfig = request.routeOptions.config;
    if (!routeConfig.role) return;
    const csrf = request.headers[CSRF_HEADER];
    const credentials = {
      authorization: request.headers.authorization,
      sessionToken: sessionTokenOf(request.headers.cookie),
      csrfToken: typeof csrf === 'string' ? csrf : undefined,
      isWrite: request.method !== 'GET' && request.method !== 'HEAD',
    };
    request.caller = await authenticate(store, clock, credentials, {
      role: routeConfig.role,
      liveOnly: routeConfig.liveOnly ?? false,
    });
    keyUsage.used(request.caller.keyId);
    const bucket = routeConfig.bucket ?? 'read';
    const decision = limiter.take(request.caller.keyId, bucket);
    if (!decision) return;
    reply.headers(rateLimitHeaders(bucket, decision));
    if (!decision.allowed) throw rateLimited(bucket, decision);
  });

  const metrics = options.metrics ?? createServerMetrics(store);
  app.addHook('onResponse', async (request, reply) => {
    requests.answered(reply);
    // The route pattern, not the URL: run ids would make every series unique.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request.routeOptions.url === '/v1/runs' && request.method === 'POST');
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    sendError(request, reply, apiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const error = new ApiError('not_found', {
      message: `No route ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}.`,
    });
    sendError(request, reply, error);
  });

  registerRoutes(app, ROUTES, {
    ...deps,
    pollHintSeconds: createPollHint(store, clock, config.workerConcurrency),
    isStarting: options.isStarting ?? (() => false),
  });
  registerMcpRoutes(app, deps, limiter, keyUsage);
  registerMetricsRoutes(app, metrics);
  registerDocsRoutes(app, config.console);
  if (config.console) registerConsoleRoutes(app, deps);
  return app;
}
