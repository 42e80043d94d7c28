import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors/api-error.ts';
import { invalidRequest } from '../../errors/invalid-request.ts';
import type { RunsDeps } from '../../runs/deps.ts';
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

/** The old secret keeps signing, beside the new one, this long after a rotation (SPEC §4). */
const ROTATION_OVERLAP_MS = 24 * 3_600 * 1_000;

type Params = { Params: { id: string } };

/** Webhook endpoint management and the deliveries log (SPEC §4): admin keys only. */
export function registerWebhookRoutes(app: FastifyInstance, deps: RunsDeps): void {
  const { store, clock, ids, config } = deps;
  const admin = { config: { role: 'admin', bucket: 'read' } } as const;
  const adminWrite = { config: { role: 'admin', bucket: 'create' } } as const;

  async function checkedUrl(url: string): Promise<string> {
    try {
      return (await checkWebhookUrl(url, { allowPrivate: config.allowPrivateWebhooks })).toString();
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
  const scopeOf = (request: FastifyRequest): WebhookScope => ({
    workspaceId: request.caller!.workspaceId,
    mode: request.caller!.mode,
  });

  async function endpointOf(scope: WebhookScope, id: string) {
    const endpoint = await store.getWebhookEndpoint(scope, id);
    if (!endpoint) throw new ApiError('webhook_not_found');
    return endpoint;
  }

  app.post('/v1/webhooks', adminWrite, async (request, reply) => {
    const parsed = CreateWebhookBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const body = parsed.data;
    const now = clock.now();
    const endpoint: WebhookEndpointRecord = {
      id: `we_${ids.ulid()}`,
      ...scopeOf(request),
      url: await checkedUrl(body.url),
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
    if (!(await store.insertWebhookEndpoint(endpoint, config.maxWebhookEndpoints))) {
      throw new ApiError('limit_reached', {
        message: `This workspace already has ${config.maxWebhookEndpoints} ${endpoint.mode} webhook endpoints; delete one first.`,
        detail: { reason: 'webhook_endpoints', limit: config.maxWebhookEndpoints, mode: endpoint.mode },
      });
    }
    // The secret is shown here and on rotation only.
    return reply.status(201).send({ ...endpointView(endpoint), secret: endpoint.secret });
  });

  app.get('/v1/webhooks', admin, async (request) => ({
    object: 'list',
    data: (await store.listWebhookEndpoints(scopeOf(request))).map(endpointView),
    has_more: false,
    next_cursor: null,
  }));

  app.get<Params>('/v1/webhooks/:id', admin, async (request) =>
    endpointView(await endpointOf(scopeOf(request), request.params.id)),
  );

  app.patch<Params>('/v1/webhooks/:id', adminWrite, async (request) => {
    const parsed = UpdateWebhookBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const patch = { ...parsed.data };
    await endpointOf(scopeOf(request), request.params.id);
    if (patch.url !== undefined) patch.url = await checkedUrl(patch.url);
    const updated = await store.updateWebhookEndpoint(
      scopeOf(request),
      request.params.id,
      patch,
      clock.now(),
    );
    if (!updated) throw new ApiError('webhook_not_found');
    return endpointView(updated);
  });

  app.delete<Params>('/v1/webhooks/:id', adminWrite, async (request) => {
    if (!(await store.deleteWebhookEndpoint(scopeOf(request), request.params.id, clock.now()))) {
      throw new ApiError('webhook_not_found');
    }
    return { id: request.params.id, object: 'webhook_endpoint', deleted: true };
  });

  app.post<Params>('/v1/webhooks/:id/rotate-secret', adminWrite, async (request) => {
    const now = clock.now();
    const secret = newWebhookSecret();
    const rotated = await store.rotateWebhookSecret(
      scopeOf(request),
      request.params.id,
      secret,
      now + ROTATION_OVERLAP_MS,
      now,
    );
    if (!rotated) throw new ApiError('webhook_not_found');
    return { ...endpointView(rotated), secret };
  });

  app.post<Params>('/v1/webhooks/:id/test', adminWrite, async (request, reply) => {
    const endpoint = await endpointOf(scopeOf(request), request.params.id);
    if (!endpoint.enabled) throw new ApiError('webhook_endpoint_disabled');
    const delivery = await store.insertPingDelivery({
      deliveryId: `dlv_${ids.ulid()}`,
      eventId: `evt_${ids.ulid()}`,
      endpoint,
      now: clock.now(),
    });
    deps.signals.deliveryQueued();
    return reply.status(202).send(deliveryView(delivery));
  });

  app.get<Params>('/v1/webhooks/:id/deliveries', admin, async (request) => {
    const query = ListDeliveriesQuery.safeParse(request.query);
    if (!query.success) throw invalidRequest(query.error);
    const endpoint = await endpointOf(scopeOf(request), request.params.id);
    const rows = await store.listDeliveries({
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      limit: query.data.limit,
      ...(query.data.cursor ? { beforeId: query.data.cursor } : {}),
    });
    const page = rows.slice(0, query.data.limit);
    const attempts = await store.listDeliveryAttempts(page.map((d) => d.id));
    const hasMore = rows.length > query.data.limit;
    return {
      object: 'list',
      data: page.map((d) =>
        deliveryView(
          d,
          attempts.filter((a) => a.deliveryId === d.id),
        ),
      ),
      has_more: hasMore,
      next_cursor: hasMore ? page[page.length - 1]!.id : null,
    };
  });

  app.post<Params>('/v1/webhook-deliveries/:id/redeliver', adminWrite, async (request, reply) => {
    const scope = scopeOf(request);
    const delivery = await store.getDelivery(scope, request.params.id);
    if (!delivery) throw new ApiError('delivery_not_found');
    const endpoint = await store.getWebhookEndpoint(scope, delivery.endpointId);
    if (!endpoint?.enabled) throw new ApiError('webhook_endpoint_disabled');
    const again = await store.redeliver(scope, delivery.id, clock.now());
    deps.signals.deliveryQueued();
    return reply.status(202).send(deliveryView(again!));
  });
}
