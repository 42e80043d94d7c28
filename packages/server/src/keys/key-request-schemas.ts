import { z } from 'zod';

const TEN_YEARS_SECONDS = 10 * 366 * 86_400;

/** Body of POST /v1/keys. */
export const CreateKeyBody = z
  .object({
    role: z.enum(['admin', 'runner']).describe('admin manages the workspace; runner reads and runs'),
    mode: z.enum(['live', 'test']).default('live').describe('test keys see only the sandbox (SPEC §3.8)'),
    name: z.string().trim().min(1).max(100).nullable().default(null).describe('A label for people'),
    expires_in: z
      .int()
      .min(60)
      .max(TEN_YEARS_SECONDS)
      .nullable()
      .default(null)
      .describe('Seconds until the key stops working; null: never'),
  })
  .strict();
