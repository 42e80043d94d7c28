import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '../errors/api-error.ts';
import type { Caller } from '../keys/caller.ts';
import type { KeyRole } from '../keys/records.ts';
import type { RunsDeps } from '../runs/deps.ts';
import type { RequestHeaderName, ResponseHeaderName } from './http-headers.ts';
import type { BucketName } from './rate-limiter.ts';

/**
 * One API operation, written once: `registerRoutes` puts it into Fastify, `buildOpenApi` into the
 * document, MCP tools take its schemas and access, and the response test checks real answers
 * against what it declares. A handler's answer is typed by the declared responses, so a view that
 * drifts from its schema does not compile.
 */
export interface RouteDefinition<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends Responses = Responses,
  A extends RouteAccessSpec | null = RouteAccessSpec | null,
> {
  /** Also the SDK-facing name of the operation (`createRun`). */
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI form (`/v1/runs/{runId}`); Fastify gets `:runId`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it and which rate-limit bucket it draws from; null: public. */
  access: A;
  /** Path parameters: documented, typed; the handler checks their form where it matters. */
  params?: P;
  query?: Q;
  /** The query as the handler reads it; default: `query` checked, mistakes as `invalid_request`. */
  parseQuery?: (raw: unknown) => z.output<Q>;
  /** Request headers it reads (X-Request-Id is read on every operation). */
  headers?: readonly RequestHeaderName[];
  body?: BodySpec<B>;
  responses: R;
  /** The catalog codes this route itself answers; auth, body, protocol and server codes are added. */
  errors: readonly ErrorCode[];
  handler: (
    context: RouteContext<z.output<P>, z.output<Q>, z.output<B>> & CallerOf<A>,
  ) => Promise<NoInfer<AnswerOf<R>>>;
}

export interface RouteAccessSpec {
  role: KeyRole;
  /** Writes that change what live runs do (Kits, Bricks) need a live key (SPEC §9.1). */
  liveOnly?: boolean;
  bucket: BucketName;
}

export interface BodySpec<B extends z.ZodType> {
  schema: B;
  /** A body-less request is allowed (it means an empty object). */
  optional?: boolean;
  /** How the handler reads it: the codes a body mistake answers, in order. */
  parse: (raw: unknown) => z.output<B>;
  /** Named examples for the reference page. */
  examples?: Record<string, { summary: string; value: z.input<B> }>;
}

export interface ResponseSpec {
  description: string;
  /** The body; null for none. */
  schema: z.ZodType | null;
  /** Headers beyond X-Request-Id and the rate-limit ones: true when always sent. */
  headers?: Partial<Record<ResponseHeaderName, boolean>>;
}

export type Responses = { readonly [status: number]: ResponseSpec };

/** JSON text known to encode a `T`: run details are spliced from the stored output text. */
export type JsonText<T> = string & { readonly __encodes?: T };

type BodyOf<S extends ResponseSpec> = S['schema'] extends z.ZodType
  ? z.output<S['schema']> | JsonText<z.output<S['schema']>>
  : undefined;

/** What a handler answers: one of its declared statuses, that status's body and headers. */
export type AnswerOf<R extends Responses> = {
  [S in keyof R & number]: {
    status: S;
    body: BodyOf<R[S]>;
    headers?: { [H in keyof R[S]['headers']]?: string };
  };
}[keyof R & number];

/** What every handler gets. */
export interface RouteContext<P, Q, B> {
  request: FastifyRequest;
  reply: FastifyReply;
  deps: RouteDeps;
  params: P;
  /** The query, checked (see `parseQuery`); called when the handler wants its mistakes reported. */
  query(): Q;
  /** The body, checked by the route's `parse`. */
  body(): B;
}

/** The authenticated caller, on routes with `access` only: a public handler cannot read it. */
export type CallerOf<A extends RouteAccessSpec | null> = [A] extends [RouteAccessSpec]
  ? { caller: Caller }
  : unknown;

/** The use-case deps plus what the HTTP layer shares across routes. */
export interface RouteDeps extends RunsDeps {
  /** Seconds a client should wait before polling a run (Retry-After). */
  pollHintSeconds: () => Promise<number>;
  /** True while first-start work runs: /readyz answers 503. */
  isStarting: () => boolean;
}

/**
 * A route as written: what it declares (`access`, `params`, `query`, `body`) is known to be there,
 * so MCP tools read their schemas and access from it without a second copy. A part left out is
 * inferred as its constraint (`z.ZodType`), which is how it is told apart.
 */
export type DefinedRoute<
  P extends z.ZodObject,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends Responses,
  A extends RouteAccessSpec | null,
> = RouteDefinition<P, Q, B, R, A> &
  (z.ZodObject extends P ? unknown : { params: P }) &
  (z.ZodType extends Q ? unknown : { query: Q }) &
  (z.ZodType extends B ? unknown : { body: BodySpec<B> });

/** Keeps a route's handler typed by its own schemas and responses, and the route by what it declares. */
export function defineRoute<
  P extends z.ZodObject,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends Responses,
  const A extends RouteAccessSpec | null,
>(route: RouteDefinition<P, Q, B, R, A>): DefinedRoute<P, Q, B, R, A> {
  return route as DefinedRoute<P, Q, B, R, A>;
}

// biome-ignore lint/suspicious/noExplicitAny: a table holds routes of every shape.
export type AnyRoute = RouteDefinition<any, any, any, any, any>;

/** An answer of a handler: the status stays a literal, so it is checked against the declared ones. */
export function answer<
  const S extends number,
  const B,
  H extends Record<string, string | undefined> = Record<never, string>,
>(status: S, body: B, headers?: H): { status: S; body: B; headers?: H } {
  return headers ? { status, body, headers } : { status, body };
}
