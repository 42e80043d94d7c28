import { z } from 'zod';
import { ENGINE_SETTINGS } from '../engines/settings.ts';

export type { MetricSettings } from '../engines/metric/settings.ts';
export { PUBLIC_ENGINES } from '../engines/registry.ts';
export type { TrackerSettings } from '../engines/tracker/settings.ts';

/** A Brick's output type (SPEC §6.1). The value of a result is typed by it. */
export const OutputSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('boolean') }).strict(),
  z
    .object({
      type: z.literal('score'),
      min: z.number().default(0),
      max: z.number().default(100),
      anchors: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      unit: z.string().max(40).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('category'),
      options: z.array(z.string().min(1).max(100)).min(2).max(50),
    })
    .strict(),
  z
    .object({
      type: z.literal('string_list'),
      max_items: z.number().int().min(1).max(200).default(20),
      /** `quoted`: every item must be found in the conversation like a quote, or it is dropped. */
      items: z.enum(['free', 'quoted']).optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('text'), max_chars: z.number().int().min(1).max(20_000).default(2_000) })
    .strict(),
]);
export type OutputSpec = z.infer<typeof OutputSpec>;

export const SOURCES = ['call', 'email', 'chat', 'note'] as const;
export type Source = (typeof SOURCES)[number];

export const BRICK_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** One immutable Brick version: everything an engine needs to judge a conversation. */
export const BrickDefinition = z
  .object({
    key: z.string().regex(BRICK_KEY, 'snake_case, starting with a letter, at most 64 characters'),
    version: z.number().int().min(1).default(1),
    name: z.string().min(1).max(200),
    description: z.string().max(20_000).default(''),
    output: OutputSpec,
    evidence: z.enum(['required', 'optional', 'none']).default('optional'),
    confidence: z.enum(['required', 'none']).default('required'),
    sources: z
      .array(z.enum(SOURCES))
      .min(1)
      .default([...SOURCES]),
    engine: z.string().min(1).max(40),
    // Each engine's settings, under its name (engines/registry.ts).
    ...ENGINE_SETTINGS,
  })
  .strict();
export type BrickDefinition = z.infer<typeof BrickDefinition>;
