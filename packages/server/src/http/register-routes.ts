import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { invalidRequest } from '../errors/invalid-request.ts';
import type { Caller } from '../keys/caller.ts';
import { answerNotModified } from './conditional-get.ts';
import type { AnyRoute, RouteContext, RouteDeps } from './route.ts';

/** `/v1/runs/{runId}` → `/v1/runs/:runId`. */
export const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The query checked by `schema`, mistakes as `invalid_request` with `detail.fields`. */
export function checkedQuery<Q extends z.ZodType>(schema: Q, raw: unknown): z.output<Q> {
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}

/** Puts every route of the table into Fastify: access and bucket as route config, then the handler. */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRoute[], deps: RouteDeps): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      config: route.access
        ? { role: route.access.role, liveOnly: route.access.liveOnly ?? false, bucket: route.access.bucket }
        : {},
      ...(route.responses[304] ? { onSend: answerNotModified } : {}),
      handler: async (request, reply) => {
        // A plain object: a getter here made V8 keep every request's objects past the young-generation
        // collection (~10x the bytes promoted, ~12 % more CPU per create). The access hook has set
        // the caller on every route with `access`; a public handler's type has no `caller` (CallerOf).
        const context: RouteContext<unknown, unknown, unknown> & { caller: Caller } = {
          request,
          reply,
          deps,
          caller: request.caller as Caller,
          params: request.params,
          query: () =>
            route.parseQuery ? route.parseQuery(request.query) : checkedQuery(route.query, request.query),
          body: () => route.body!.parse(request.body),
        };
        const answer = await route.handler(context);
        reply.status(answer.status);
        for (const [name, value] of Object.entries(answer.headers ?? {})) {
          if (value !== undefined) reply.header(name, value as string);
        }
        // Pre-serialised JSON (run details) is sent as it is.
        if (typeof answer.body === 'string') reply.type('application/json; charset=utf-8');
        return reply.send(answer.body);
      },
    });
  }
}
