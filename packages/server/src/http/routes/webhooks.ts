import type { FastifyInstance } from 'fastify';
import type { RunsDeps } from '../../runs/deps.ts';
import { invalidRequest } from '../../runs/request-schemas.ts';
import { WEBHOOK_EVENT_TYPES } from '../../store/webhook-records.ts';
import { checkWebhookUrl, WebhookUrlError } from '../../webhooks/url-guard.ts';
import {
  CreateWebhookBody,
  ListDeliveriesQuery,
  UpdateWebhookBody,
} from '../../webhooks/webhook-request-schemas.ts';
import { newWebhookSecret } from '../../webhooks/webhook-secret.ts';
import { deliveryView, endpointView } from '../../webhooks/webhook-views.ts';
import { ApiError } from '../api-error.ts';

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

  async function endpointOf(workspaceId: string, id: string) {
    const endpoint = await store.getWebhookEndpoint(workspaceId, id);
    if (!endpoint) throw new ApiError('webhook_not_found');
    return endpoint;
  }

  app.post('/v1/webhooks', adminWrite, async (request, reply) => {
    const parsed = CreateWebhookBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const body = parsed.data;
    const now = clock.now();
    const endpoint = {
      id: `we_${ids.ulid()}`,
      workspaceId: request.caller!.workspaceId,
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
    await store.insertWebhookEndpoint(endpoint);
    // The secret is shown here and on rotation only.
    return reply.status(201).send({ ...endpointView(endpoint), secret: endpoint.secret });
  });

  app.get('/v1/webhooks', admin, async (request) => ({
    object: 'list',
    data: (await store.listWebhookEndpoints(request.caller!.workspaceId)).map(endpointView),
    has_more: false,
    next_cursor: null,
  }));

  app.get<Params>('/v1/webhooks/:id', admin, async (request) =>
    endpointView(await endpointOf(request.caller!.workspaceId, request.params.id)),
  );

  app.patch<Params>('/v1/webhooks/:id', adminWrite, async (request) => {
    const parsed = UpdateWebhookBody.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error);
    const patch = { ...parsed.data };
    await endpointOf(request.caller!.workspaceId, request.params.id);
    if (patch.url !== undefined) patch.url = await checkedUrl(patch.url);
    const updated = await store.updateWebhookEndpoint(
      request.caller!.workspaceId,
      request.params.id,
      patch,
      clock.now(),
    );
    if (!updated) throw new ApiError('webhook_not_found');
    return endpointView(updated);
  });

  app.delete<Params>('/v1/webhooks/:id', adminWrite, async (request) => {
    if (!(await store.deleteWebhookEndpoint(request.caller!.workspaceId, request.params.id, clock.now()))) {
      throw new ApiError('webhook_not_found');
    }
    return { id: request.params.id, object: 'webhook_endpoint', deleted: true };
  });

  app.post<Params>('/v1/webhooks/:id/rotate-secret', adminWrite, async (request) => {
    const now = clock.now();
    const secret = newWebhookSecret();
    const rotated = await store.rotateWebhookSecret(
      request.caller!.workspaceId,
      request.params.id,
      secret,
      now + ROTATION_OVERLAP_MS,
      now,
    );
    if (!rotated) throw new ApiError('webhook_not_found');
    return { ...endpointView(rotated), secret };
  });

  app.post<Params>('/v1/webhooks/:id/test', adminWrite, async (request, reply) => {
    const endpoint = await endpointOf(request.caller!.workspaceId, request.params.id);
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
    const endpoint = await endpointOf(request.caller!.workspaceId, request.params.id);
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
    const workspaceId = request.caller!.workspaceId;
    const delivery = await store.getDelivery(workspaceId, request.params.id);
    if (!delivery) throw new ApiError('delivery_not_found');
    const endpoint = await store.getWebhookEndpoint(workspaceId, delivery.endpointId);
    if (!endpoint?.enabled) throw new ApiError('webhook_endpoint_disabled');
    const again = await store.redeliver(workspaceId, delivery.id, clock.now());
    deps.signals.deliveryQueued();
    return reply.status(202).send(deliveryView(again!));
  });
}
