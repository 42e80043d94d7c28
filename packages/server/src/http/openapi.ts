import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../errors/api-error.ts';
import { CreateKeyBody } from '../keys/key-request-schemas.ts';
import {
  CreateBrickBody,
  CreateBrickVersionBody,
  CreateKitBody,
  CreateKitVersionBody,
} from '../kits/kit-request-schemas.ts';
import { CreateRunBody } from '../runs/request-schemas.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/records.ts';
import { CreateWebhookBody, UpdateWebhookBody } from '../webhooks/webhook-request-schemas.ts';
import { REQUEST_HEADERS, RESPONSE_HEADERS, type ResponseHeaderName } from './http-headers.ts';
import { API_DESCRIPTION, TAGS, WEBHOOK_DELIVERY_HEADERS, WEBHOOK_DESCRIPTION } from './openapi-text.ts';
import * as R from './response-schemas.ts';
import type { AnyRoute, Responses } from './route.ts';
import { ROUTES } from './route-table.ts';

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;

type Json = Record<string, unknown>;

/** Named response shapes: each is a component, and schemas that contain one refer to it. */
const RESPONSE_COMPONENTS: Record<string, z.ZodType> = {
  RunDetail: R.RunDetail,
  RunList: R.RunList,
  Usage: R.Usage,
  BrickResult: R.BrickResult,
  TestResult: R.TestResult,
  Brick: R.Brick,
  BrickWithVersions: R.BrickWithVersions,
  BrickList: R.BrickList,
  KitVersionSummary: R.KitVersionSummary,
  KitVersion: R.KitVersion,
  KitSummary: R.KitSummary,
  Kit: R.Kit,
  KitList: R.KitList,
  KitSchema: R.KitSchema,
  ApiKey: R.ApiKey,
  ApiKeyWithSecret: R.ApiKeyWithSecret,
  ApiKeyList: R.ApiKeyList,
  WebhookEndpoint: R.WebhookEndpoint,
  WebhookEndpointWithSecret: R.WebhookEndpointWithSecret,
  WebhookEndpointList: R.WebhookEndpointList,
  DeletedWebhookEndpoint: R.DeletedWebhookEndpoint,
  WebhookDelivery: R.WebhookDelivery,
  WebhookDeliveryList: R.WebhookDeliveryList,
  RunEvent: R.RunEvent,
  PingEvent: R.PingEvent,
  Health: R.Health,
  Readiness: R.Readiness,
  Error: R.ErrorBody,
};

/** Named request bodies, documented as the input they accept (defaults make fields optional). */
const REQUEST_COMPONENTS: Record<string, z.ZodType> = {
  CreateRunBody,
  CreateBrickBody,
  CreateBrickVersionBody,
  CreateKitBody,
  CreateKitVersionBody,
  CreateKeyBody,
  CreateWebhookBody,
  UpdateWebhookBody,
};

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** Readable schemas: a format says what zod's long regular expressions say, and int bounds are noise. */
function tidy(ctx: { jsonSchema: Json }): void {
  const s = ctx.jsonSchema;
  if (typeof s['format'] === 'string') delete s['pattern'];
  if (s['minimum'] === -SAFE_INTEGER) delete s['minimum'];
  if (s['maximum'] === SAFE_INTEGER) delete s['maximum'];
}

const componentRef = (name: string) => `#/components/schemas/${name}`;

function namesOf(components: Record<string, z.ZodType>): Map<z.ZodType, string> {
  return new Map(Object.entries(components).map(([name, schema]) => [schema, name]));
}

function withoutMeta(s: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
}

/** Components of one direction: every named schema, with refs between them. */
function componentSchemas(
  components: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(components)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: componentRef,
    override: tidy,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, withoutMeta(s)]));
}

/** One schema inline, in `io` mode; named response shapes inside it stay refs. */
function inlineSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const names = io === 'output' ? namesOf(RESPONSE_COMPONENTS) : new Map<z.ZodType, string>();
  const name = names.get(schema);
  if (name) return { $ref: componentRef(name) };
  // Converted beside the components, so those it contains become refs to them.
  const registry = z.registry<{ id: string }>();
  for (const [known, id] of names) registry.add(known, { id });
  registry.add(schema, { id: INLINE });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: componentRef,
    override: tidy,
  }) as { schemas: Record<string, Json> };
  return withoutMeta(schemas[INLINE]!);
}

const INLINE = '__inline';

const jsonContent = (schema: Json, extra: Json = {}) => ({
  content: { 'application/json': { schema, ...extra } },
});

function headerObject(name: ResponseHeaderName, required: boolean): Json {
  const { description, schema } = RESPONSE_HEADERS[name];
  return { description, required, schema };
}

/** Headers of every answer of a route; `declared` adds the route's own. */
function responseHeaders(route: AnyRoute, declared: Partial<Record<ResponseHeaderName, boolean>>) {
  const headers: Record<string, Json> = { 'X-Request-Id': headerObject('X-Request-Id', true) };
  if (route.access) {
    headers['RateLimit-Policy'] = headerObject('RateLimit-Policy', false);
    headers['RateLimit'] = headerObject('RateLimit', false);
  }
  for (const [name, required] of Object.entries(declared) as [ResponseHeaderName, boolean][]) {
    headers[name] = headerObject(name, required);
  }
  return headers;
}

/** What any request can meet before its route runs (SPEC §9.4, §9.5), and a server failure. */
const PROTOCOL_ERRORS: readonly ErrorCode[] = [
  'invalid_request',
  'request_timeout',
  'url_too_long',
  'headers_too_large',
  'run_request_failed',
  'unavailable',
];

/** Every catalog code an operation can answer: its own, then what auth, bodies and the protocol add. */
export function errorCodesOf(route: AnyRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.access) {
    for (const code of [
      'missing_bearer_token',
      'invalid_api_key',
      'api_key_expired',
      'session_expired',
    ] as const)
      codes.add(code);
    codes.add('rate_limited');
    if (route.access.role === 'admin' || route.access.liveOnly) codes.add('forbidden');
    if (route.method !== 'GET') codes.add('csrf_token_invalid');
  }
  if (route.method !== 'GET') {
    for (const code of ['invalid_json', 'payload_too_large', 'unsupported_media_type'] as const)
      codes.add(code);
  }
  for (const code of PROTOCOL_ERRORS) codes.add(code);
  return [...codes];
}

function errorResponses(route: AnyRoute): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: codes.map((c) => `\`${c}\``).join(', '),
          headers: responseHeaders(route, status === 429 || status === 503 ? { 'Retry-After': true } : {}),
          // The codes this status can carry here, on the shared error shape.
          ...jsonContent({
            allOf: [{ $ref: componentRef('Error') }, { properties: { error: { enum: codes } } }],
          }),
        },
      ]),
  );
}

function parameters(route: AnyRoute): Json[] {
  const list: Json[] = [];
  if (route.params) {
    const s = inlineSchema(route.params, 'input') as { properties: Record<string, Json> };
    for (const [name, schema] of Object.entries(s.properties)) {
      const { description, ...rest } = schema;
      list.push({ name, in: 'path', required: true, ...(description ? { description } : {}), schema: rest });
    }
  }
  if (route.query) {
    const s = inlineSchema(route.query, 'input') as { properties: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(s.properties)) {
      const { description, ...rest } = schema;
      list.push({
        name,
        in: 'query',
        required: s.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const name of ['X-Request-Id', ...(route.headers ?? [])] as (keyof typeof REQUEST_HEADERS)[]) {
    const { description, schema } = REQUEST_HEADERS[name];
    list.push({ name, in: 'header', required: false, description, schema });
  }
  return list;
}

function requestBody(route: AnyRoute): Json | undefined {
  if (!route.body) return undefined;
  const { schema, optional, examples } = route.body;
  // Inline, not a $ref to the component: generators (openapi-typescript) treat a component's
  // defaulted fields as always present, which is true of answers, not of requests.
  const name = namesOf(REQUEST_COMPONENTS).get(schema);
  return {
    required: !optional,
    ...(name ? { description: `A ${name} (see Schemas).` } : {}),
    ...jsonContent(inlineSchema(schema, 'input'), examples ? { examples } : {}),
  };
}

function operation(route: AnyRoute): Json {
  const responses: Record<string, Json> = errorResponses(route);
  for (const [status, spec] of Object.entries(route.responses as Responses)) {
    responses[status] = {
      description: spec.description,
      headers: responseHeaders(route, spec.headers ?? {}),
      ...(spec.schema ? jsonContent(inlineSchema(spec.schema, 'output')) : {}),
    };
  }
  const body = requestBody(route);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.access ? {} : { security: [] }),
    parameters: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

function webhooks(): Json {
  const events = [
    ...WEBHOOK_EVENT_TYPES.map((type) => [type, 'RunEvent', `A run ended: ${type.slice(4)}`] as const),
    ['ping', 'PingEvent', 'The test event of POST /v1/webhooks/{id}/test'] as const,
  ];
  return Object.fromEntries(
    events.map(([type, schema, summary]) => [
      type,
      {
        post: {
          operationId: `event.${type}`,
          tags: ['Webhook events'],
          summary,
          description: WEBHOOK_DESCRIPTION,
          security: [],
          parameters: WEBHOOK_DELIVERY_HEADERS.map(({ name, description, example }) => ({
            name,
            in: 'header',
            required: true,
            description,
            schema: { type: 'string', example },
          })),
          requestBody: { required: true, ...jsonContent({ $ref: componentRef(schema) }) },
          responses: {
            '2XX': { description: 'Received: answer within 10 s, then do the work' },
            '410': { description: 'Gone: the endpoint is disabled at once' },
            default: { description: 'Anything else (or a timeout): retried with backoff for 3 days' },
          },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 document, built from the route table and the zod schemas it names. */
export function buildOpenApi(routes: readonly AnyRoute[] = ROUTES): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Semarize API', version: VERSION, description: API_DESCRIPTION },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: TAGS,
    paths,
    webhooks: webhooks(),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'smz_live_… or smz_test_… key' },
      },
      schemas: {
        ...componentSchemas(REQUEST_COMPONENTS, 'input'),
        ...componentSchemas(RESPONSE_COMPONENTS, 'output'),
      },
    },
  };
}

let built: Json | null = null;

/** The document of the route table, built once per process (it is the same for every app). */
export function openApiDocument(): Json {
  built ??= buildOpenApi();
  return built;
}
