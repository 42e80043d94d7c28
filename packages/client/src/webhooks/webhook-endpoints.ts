import { PageList } from '../http/page-list.ts';
import { type ApiRequest, type RequestOptions, requestOptions, type Transport } from '../http/transport.ts';
import type {
  CreateWebhookEndpointParams,
  DeletedWebhookEndpoint,
  Page,
  UpdateWebhookEndpointParams,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '../types/webhook-endpoint.ts';

const endpointPath = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

export interface ListDeliveriesParams {
  /** Deliveries per page (1–100, default 20). */
  limit?: number;
  /** Start after this page cursor (a `next_cursor`). */
  cursor?: string;
}

/**
 * `client.webhookEndpoints`: where the server sends run events, and what it sent (admin keys).
 * Writes that must not happen twice (create, rotateSecret, sendTest, redeliver) are retried only
 * after a 429; a lost answer to one of them throws rather than repeating it.
 */
export class WebhookEndpoints {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  async #call<T>(request: ApiRequest): Promise<T> {
    return (await this.#transport.request<T>(request)).body;
  }

  /** `POST /v1/webhooks`. The answer carries the signing `secret`, shown this once. */
  create(
    params: CreateWebhookEndpointParams,
    options: RequestOptions = {},
  ): Promise<WebhookEndpointWithSecret> {
    return this.#call({
      ...requestOptions(options),
      method: 'POST',
      path: '/v1/webhooks',
      body: params,
      repeatable: false,
    });
  }

  /** `GET /v1/webhooks`: every endpoint of the workspace. */
  async list(options: RequestOptions = {}): Promise<WebhookEndpoint[]> {
    const page = await this.#call<Page<WebhookEndpoint>>({
      ...requestOptions(options),
      method: 'GET',
      path: '/v1/webhooks',
    });
    return page.data;
  }

  /** `GET /v1/webhooks/{id}`. */
  get(id: string, options: RequestOptions = {}): Promise<WebhookEndpoint> {
    return this.#call({ ...requestOptions(options), method: 'GET', path: endpointPath(id) });
  }

  /** `PATCH /v1/webhooks/{id}`: changes only the fields given. Enabling clears `disabled_reason`. */
  update(
    id: string,
    params: UpdateWebhookEndpointParams,
    options: RequestOptions = {},
  ): Promise<WebhookEndpoint> {
    return this.#call({ ...requestOptions(options), method: 'PATCH', path: endpointPath(id), body: params });
  }

  /**
   * `DELETE /v1/webhooks/{id}`: nothing more is sent to it. Retried like a read, so a delete whose
   * answer was lost may end in NotFoundError: the endpoint is gone either way.
   */
  delete(id: string, options: RequestOptions = {}): Promise<DeletedWebhookEndpoint> {
    return this.#call({ ...requestOptions(options), method: 'DELETE', path: endpointPath(id) });
  }

  /**
   * `POST /v1/webhooks/{id}/rotate-secret`: a new secret, returned once. For 24 hours deliveries
   * carry signatures from both, so receivers can switch without missing one.
   */
  rotateSecret(id: string, options: RequestOptions = {}): Promise<WebhookEndpointWithSecret> {
    return this.#call({
      ...requestOptions(options),
      method: 'POST',
      path: `${endpointPath(id)}/rotate-secret`,
      repeatable: false,
    });
  }

  /** `POST /v1/webhooks/{id}/test`: queues a signed `ping` event to the endpoint. */
  sendTest(id: string, options: RequestOptions = {}): Promise<WebhookDelivery> {
    return this.#call({
      ...requestOptions(options),
      method: 'POST',
      path: `${endpointPath(id)}/test`,
      repeatable: false,
    });
  }

  /** Every delivery to the endpoint, newest first, with its attempts: `for await (const d of …)`. */
  deliveries(
    id: string,
    params: ListDeliveriesParams = {},
    options: RequestOptions = {},
  ): PageList<WebhookDelivery> {
    return new PageList(
      (cursor) =>
        this.#call<Page<WebhookDelivery>>({
          ...requestOptions(options),
          method: 'GET',
          path: `${endpointPath(id)}/deliveries`,
          query: { limit: params.limit, cursor },
        }),
      params.cursor,
    );
  }

  /** `POST /v1/webhook-deliveries/{id}/redeliver`: sends the same event again, with the same ids. */
  redeliver(deliveryId: string, options: RequestOptions = {}): Promise<WebhookDelivery> {
    return this.#call({
      ...requestOptions(options),
      method: 'POST',
      path: `/v1/webhook-deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      repeatable: false,
    });
  }
}
