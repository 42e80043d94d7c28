import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.ts';
import { authenticate } from '../http/auth.ts';
import { clientGone } from '../http/client-gone.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import type { Caller } from '../keys/caller.ts';
import type { KeyUsage } from '../keys/key-usage.ts';
import type { RunsDeps } from '../runs/deps.ts';
import { createPollHint } from '../runs/poll-hint.ts';
import { mcpServerFor } from './mcp-server.ts';

/** What the route hands the per-request server factory, through the SDK's pass-through auth info. */
interface McpRequestState {
  caller: Caller;
  signal: AbortSignal;
}

/**
 * Browsers send Origin; a page on another site must not drive a local server with a user's key
 * (DNS rebinding). Clients that are not browsers send none and are allowed.
 */
function refuseForeignOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {}
  if (host === null || host !== request.headers.host) {
    throw new ApiError('forbidden', {
      message:
        'The Origin header names another site; /mcp answers only this server and clients that send no Origin.',
      detail: { reason: 'origin' },
    });
  }
}

/** A 401 on /mcp also says how to authenticate (RFC 6750), as MCP clients expect. */
async function authenticateBearer(deps: RunsDeps, header: string | undefined): Promise<Caller> {
  try {
    // Bearer keys only: a console session cookie never authenticates an agent's tool call.
    const credentials = { authorization: header, sessionToken: null, csrfToken: undefined, isWrite: true };
    return await authenticate(deps.store, deps.clock, credentials, { role: 'runner' });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const challenge =
      error.code === 'missing_bearer_token'
        ? 'Bearer realm="semarize"'
        : 'Bearer realm="semarize", error="invalid_token"';
    throw new ApiError(error.code, { message: error.message, headers: { 'WWW-Authenticate': challenge } });
  }
}

function webRequest(request: FastifyRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://${request.headers.host ?? 'localhost'}${request.url}`, {
    method: request.method,
    headers,
    signal,
  });
}

/**
 * POST /mcp (SPEC §13): Model Context Protocol over Streamable HTTP, stateless. The SDK's handler
 * serves the 2026-07-28 revision and, for 2025 clients, the stateless legacy mode (a fresh server
 * per request); both build their server from the same factory, which offers the caller's tools.
 */
export function registerMcpRoutes(
  app: FastifyInstance,
  deps: RunsDeps,
  limiter: RateLimiter,
  keyUsage: KeyUsage,
): void {
  const pollHintSeconds = createPollHint(deps.store, deps.clock, deps.config.workerConcurrency);
  const handler = createMcpHandler(
    ({ authInfo }) => {
      const state = authInfo?.extra?.['semarize'] as McpRequestState;
      return mcpServerFor(
        { deps, caller: state.caller, pollHintSeconds, signal: state.signal },
        limiter,
        app.log,
      );
    },
    {
      legacy: 'stateless',
      maxRequestBodySize: deps.config.maxBodyBytes,
      onerror: (error) => app.log.warn({ err: error }, 'MCP request refused'),
    },
  );
  app.addHook('onClose', async () => handler.close());

  app.post('/mcp', async (request, reply) => {
    refuseForeignOrigin(request);
    if (deps.shutdown.aborted) {
      throw new ApiError('unavailable', { message: 'The server is shutting down.', retryAfterSeconds: 1 });
    }
    const caller = await authenticateBearer(deps, request.headers.authorization);
    keyUsage.used(caller.keyId);
    const signal = clientGone(request, reply);
    const state: McpRequestState = { caller, signal };
    const response = await handler.fetch(webRequest(request, signal), {
      parsedBody: request.body,
      authInfo: { token: '', clientId: caller.keyId, scopes: [], extra: { semarize: state } },
    });
    reply.status(response.status);
    response.headers.forEach((value, name) => {
      reply.header(name, value);
    });
    if (!response.body) return reply.send();
    return reply.send(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
  });

  // Stateless: no session to resume (GET) or end (DELETE).
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      handler: async (_request, reply) => {
        reply.header('Allow', 'POST');
        throw new ApiError('method_not_allowed', {
          message: `/mcp is stateless: send JSON-RPC messages with POST; ${method} is not used.`,
        });
      },
    });
  }
}
