import { z } from 'zod';
import { ApiError } from '../../errors/api-error.ts';
import { invalidRequest } from '../../errors/invalid-request.ts';
import type { Caller } from '../../keys/caller.ts';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointRecord,
  type WebhookScope,
} from '../../webhooks/records.ts';
import { checkWebhookUrl, WebhookUrlError } from '../../webhooks/url-guard.ts';
import {
  CreateWebhookBody,
  ListDeliveriesQuery,
  UpdateWebhookBody,
} from '../../webhooks/webhook-request-schemas.ts';
import { newWebhookSecret } from '../../webhooks/webhook-secret.ts';
import { deliveryView, endpointView } from '../../webhooks/webhook-views.ts';
import { CONDITIONAL_HEADERS, NOT_MODIFIED } from '../conditional-get.ts';
import {
  DeletedWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from '../response-schemas.ts';
import { answer, defineRoute, type RouteDeps } from '../route.ts';

/** Webhook endpoint management and the deliveries log (SPEC §4): admin keys only. */

/** The old secret keeps signing, beside the new one, this long after a rotation (SPEC §4). */
const ROTATION_OVERLAP_MS = 24 * 3_600 * 1_000;

const IdParams = z.object({ id: z.string().describe('"we_…"') });
const DeliveryIdParams = z.object({ id: z.string().describe('"dlv_…"') });
const read = { role: 'admin', bucket: 'read' } as const;
const write = { role: 'admin', bucket: 'create' } as const;

/** A JSON body checked by `schema`; a body-less request is an empty object. */
const bodyOf =
  <T extends z.ZodType>(schema: T) =>
  (raw: unknown): z.output<T> => {
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    return parsed.data;
  };

async function checkedUrl(deps: RouteDeps, url: string): Promise<string> {
  try {
    return (await checkWebhookUrl(url, { allowPrivate: deps.config.allowPrivateWebhooks })).toString();
  } catch (error) {
    if (error instanceof WebhookUrlError) {
      throw new ApiError('invalid_request', {
        detail: { fields: [{ field: 'url', message: error.message }] },
      });
    }
    throw error;
  }
}

/** A key manages and sees only its own mode's endpoints and deliveries (SPEC §9.1). */
const scopeOf = ({ caller }: { caller: Caller }): WebhookScope => ({
  workspaceId: caller.workspaceId,
  mode: caller.mode,
});

async function endpointOf(deps: RouteDeps, scope: WebhookScope, id: string) {
  const endpoint = await deps.store.webhookEndpointGet(scope, id);
  if (!endpoint) throw new ApiError('webhook_not_found');
  return endpoint;
}

export const createWebhookRoute = defineRoute({
  operationId: 'createWebhook',
  method: 'POST',
  path: '/v1/webhooks',
  tag: 'Webhooks',
  summary: 'Create a webhook endpoint; admin keys only',
  description:
    'The URL must be https and resolve to a public address (loopback, private and link-local ' +
    'addresses are refused, here and again at every connection). The signing secret is in this ' +
    'response only. The endpoint takes the mode of the key that creates it: a test key makes ' +
    'a test endpoint, which receives events of sandbox runs only. A workspace has at most 20 ' +
    'endpoints per mode (409 limit_reached).',
  access: write,
  body: {
    schema: CreateWebhookBody,
    parse: bodyOf(CreateWebhookBody),
    examples: {
      finished: {
        summary: 'Successes and failures, full payloads',
        value: { url: 'https://example.com/semarize-hook', events: ['run.succeeded', 'run.failed'] },
      },
    },
  },
  responses: { 201: { description: 'The endpoint, with its secret', schema: WebhookEndpointWithSecret } },
  errors: ['limit_reached'],
  async handler(context) {
    const { deps } = context;
    const body = context.body();
    const now = deps.clock.now();
    const endpoint: WebhookEndpointRecord = {
      id: `we_${deps.ids.ulid()}`,
      ...scopeOf(context),
      url: await checkedUrl(deps, body.url),
      description: body.description,
      events: body.events ?? [...WEBHOOK_EVENT_TYPES],
      payload: body.payload,
      enabled: body.enabled,
      disabledReason: null,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    const max = deps.config.maxWebhookEndpoints;
    if (!(await deps.store.webhookEndpointInsert(endpoint, max))) {
      throw new ApiError('limit_reached', {
        message: `This workspace already has ${max} ${endpoint.mode} webhook endpoints; delete one first.`,
        detail: { reason: 'webhook_endpoints', limit: max, mode: endpoint.mode },
      });
    }
    // The secret is shown here and on rotation only.
    return answer(201, { ...endpointView(endpoint), secret: endpoint.secret });
  },
});

export const listWebhooksRoute = defineRoute({
  operationId: 'listWebhooks',
  method: 'GET',
  path: '/v1/webhooks',
  tag: 'Webhooks',
  summary: 'List webhook endpoints; admin keys only',
  description: "A key lists only its own mode's endpoints (live or test).",
  access: read,
  responses: {
    200: { description: "Every endpoint of the workspace in the key's mode", schema: WebhookEndpointList },
  },
  errors: [],
  handler: async (context) =>
    answer(200, {
      object: 'list',
      data: (await context.deps.store.webhookEndpointList(scopeOf(context))).map(endpointView),
      has_more: false,
      next_cursor: null,
    }),
});

export const getWebhookRoute = defineRoute({
  operationId: 'getWebhook',
  method: 'GET',
  path: '/v1/webhooks/{id}',
  tag: 'Webhooks',
  summary: 'Get a webhook endpoint',
  access: read,
  params: IdParams,
  responses: { 200: { description: 'The endpoint', schema: WebhookEndpoint } },
  errors: ['webhook_not_found'],
  handler: async (context) =>
    answer(200, endpointView(await endpointOf(context.deps, scopeOf(context), context.params.id))),
});

export const updateWebhookRoute = defineRoute({
  operationId: 'updateWebhook',
  method: 'PATCH',
  path: '/v1/webhooks/{id}',
  tag: 'Webhooks',
  summary: 'Change an endpoint; `enabled: true` re-enables one the server disabled',
  access: write,
  params: IdParams,
  body: {
    schema: UpdateWebhookBody,
    parse: bodyOf(UpdateWebhookBody),
    examples: { enable: { summary: 'Re-enable a disabled endpoint', value: { enabled: true } } },
  },
  responses: { 200: { description: 'The endpoint', schema: WebhookEndpoint } },
  errors: ['webhook_not_found'],
  async handler(context) {
    const { deps, params } = context;
    const patch = { ...context.body() };
    await endpointOf(deps, scopeOf(context), params.id);
    if (patch.url !== undefined) patch.url = await checkedUrl(deps, patch.url);
    const updated = await deps.store.webhookEndpointUpdate(
      scopeOf(context),
      params.id,
      patch,
      deps.clock.now(),
    );
    if (!updated) throw new ApiError('webhook_not_found');
    return answer(200, endpointView(updated));
  },
});

export const deleteWebhookRoute = defineRoute({
  operationId: 'deleteWebhook',
  method: 'DELETE',
  path: '/v1/webhooks/{id}',
  tag: 'Webhooks',
  summary: 'Delete an endpoint; its undelivered events are dropped',
  access: write,
  params: IdParams,
  responses: { 200: { description: 'Deleted', schema: DeletedWebhookEndpoint } },
  errors: ['webhook_not_found'],
  async handler(context) {
    const { deps, params } = context;
    if (!(await deps.store.webhookEndpointDelete(scopeOf(context), params.id, deps.clock.now()))) {
      throw new ApiError('webhook_not_found');
    }
    return answer(200, { id: params.id, object: 'webhook_endpoint', deleted: true });
  },
});

export const rotateWebhookSecretRoute = defineRoute({
  operationId: 'rotateWebhookSecret',
  method: 'POST',
  path: '/v1/webhooks/{id}/rotate-secret',
  tag: 'Webhooks',
  summary: 'A new signing secret; the old one keeps signing beside it for 24 h',
  access: write,
  params: IdParams,
  responses: {
    200: { description: 'The endpoint, with its new secret', schema: WebhookEndpointWithSecret },
  },
  errors: ['webhook_not_found'],
  async handler(context) {
    const { deps, params } = context;
    const now = deps.clock.now();
    const secret = newWebhookSecret();
    const rotated = await deps.store.webhookEndpointRotateSecret(
      scopeOf(context),
      params.id,
      secret,
      now + ROTATION_OVERLAP_MS,
      now,
    );
    if (!rotated) throw new ApiError('webhook_not_found');
    return answer(200, { ...endpointView(rotated), secret });
  },
});

export const testWebhookRoute = defineRoute({
  operationId: 'testWebhook',
  method: 'POST',
  path: '/v1/webhooks/{id}/test',
  tag: 'Webhooks',
  summary: 'Send a signed `ping` event to the endpoint',
  access: write,
  params: IdParams,
  responses: { 202: { description: 'The queued delivery', schema: WebhookDelivery } },
  errors: ['webhook_not_found', 'webhook_endpoint_disabled'],
  async handler(context) {
    const { deps } = context;
    const endpoint = await endpointOf(deps, scopeOf(context), context.params.id);
    if (!endpoint.enabled) throw new ApiError('webhook_endpoint_disabled');
    const delivery = await deps.store.deliveryInsertPing({
      deliveryId: `dlv_${deps.ids.ulid()}`,
      eventId: `evt_${deps.ids.ulid()}`,
      endpoint,
      now: deps.clock.now(),
    });
    deps.signals.deliveryQueued();
    return answer(202, deliveryView(delivery));
  },
});

export const listWebhookDeliveriesRoute = defineRoute({
  operationId: 'listWebhookDeliveries',
  method: 'GET',
  path: '/v1/webhooks/{id}/deliveries',
  tag: 'Webhooks',
  summary: 'Deliveries to an endpoint, newest first, with every attempt',
  access: read,
  params: IdParams,
  query: ListDeliveriesQuery,
  headers: ['If-None-Match'],
  responses: {
    200: { description: 'A page of deliveries', schema: WebhookDeliveryList, headers: CONDITIONAL_HEADERS },
    304: NOT_MODIFIED,
  },
  errors: ['webhook_not_found'],
  async handler(context) {
    const { deps } = context;
    const query = context.query();
    const endpoint = await endpointOf(deps, scopeOf(context), context.params.id);
    const rows = await deps.store.deliveryList({
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      limit: query.limit,
      ...(query.cursor ? { beforeId: query.cursor } : {}),
    });
    const page = rows.slice(0, query.limit);
    const attempts = await deps.store.deliveryAttemptList(page.map((d) => d.id));
    const hasMore = rows.length > query.limit;
    return answer(200, {
      object: 'list',
      data: page.map((d) =>
        deliveryView(
          d,
          attempts.filter((a) => a.deliveryId === d.id),
        ),
      ),
      has_more: hasMore,
      next_cursor: hasMore ? page[page.length - 1]!.id : null,
    });
  },
});

export const redeliverWebhookRoute = defineRoute({
  operationId: 'redeliverWebhook',
  method: 'POST',
  path: '/v1/webhook-deliveries/{id}/redeliver',
  tag: 'Webhooks',
  summary: 'Send a delivery again now, with the same event and delivery ids',
  access: write,
  params: DeliveryIdParams,
  responses: { 202: { description: 'The delivery, due now', schema: WebhookDelivery } },
  errors: ['delivery_not_found', 'webhook_endpoint_disabled'],
  async handler(context) {
    const { deps } = context;
    const scope = scopeOf(context);
    const delivery = await deps.store.deliveryGet(scope, context.params.id);
    if (!delivery) throw new ApiError('delivery_not_found');
    const endpoint = await deps.store.webhookEndpointGet(scope, delivery.endpointId);
    if (!endpoint?.enabled) throw new ApiError('webhook_endpoint_disabled');
    const again = await deps.store.deliveryRedeliver(scope, delivery.id, deps.clock.now());
    deps.signals.deliveryQueued();
    return answer(202, deliveryView(again!));
  },
});

export const WEBHOOK_ROUTES = [
  createWebhookRoute,
  listWebhooksRoute,
  getWebhookRoute,
  updateWebhookRoute,
  deleteWebhookRoute,
  rotateWebhookSecretRoute,
  testWebhookRoute,
  listWebhookDeliveriesRoute,
  redeliverWebhookRoute,
];
