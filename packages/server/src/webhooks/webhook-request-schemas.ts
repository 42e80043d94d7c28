import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './records.ts';

const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .refine((events) => new Set(events).size === events.length, 'events must not repeat')
  .describe('Event types to receive (default: all terminal run events)');

/** Body of POST /v1/webhooks. */
export const CreateWebhookBody = z
  .object({
    url: z.string().min(1).max(2_048).describe('https URL of a public address'),
    events: Events.optional(),
    payload: z
      .enum(['full', 'thin'])
      .default('full')
      .describe('thin omits data.output (always thin over 256 KiB)'),
    enabled: z.boolean().default(true),
    description: z.string().max(500).default(''),
  })
  .strict();

/** Body of PATCH /v1/webhooks/{id}. */
export const UpdateWebhookBody = z
  .object({
    url: z.string().min(1).max(2_048).optional(),
    events: Events.optional(),
    payload: z.enum(['full', 'thin']).optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

/** Query of GET /v1/webhooks/{id}/deliveries. */
export const ListDeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
