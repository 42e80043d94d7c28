import { z } from 'zod';

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
    .object({ type: z.literal('string_list'), max_items: z.number().int().min(1).max(200).default(20) })
    .strict(),
  z
    .object({ type: z.literal('text'), max_chars: z.number().int().min(1).max(20_000).default(2_000) })
    .strict(),
]);
export type OutputSpec = z.infer<typeof OutputSpec>;

export const SOURCES = ['call', 'email', 'chat', 'note'] as const;
export type Source = (typeof SOURCES)[number];

/** Settings of the `metric` engine: which measure, and for per-speaker measures, whose. */
export const MetricSettings = z
  .object({
    name: z.enum([
      'talk_ratio',
      'longest_monologue',
      'question_count',
      'interactivity',
      'filler_word_rate',
      'words_per_minute',
      'patience',
      'silence',
      'overtalk',
    ]),
    /** One speaker, by name. Unset (and no side): the company side, or everyone (docs/signals.md §2). */
    speaker: z.string().min(1).max(100).optional(),
    /** One side, or `any` for everyone; not together with `speaker`. */
    side: z.enum(['company', 'customer', 'any']).optional(),
  })
  .strict();
export type MetricSettings = z.infer<typeof MetricSettings>;

/** Settings of the `tracker` engine: what to look for. */
export const TrackerSettings = z
  .object({
    /** Plain phrases, matched on word boundaries (with their inflections when `stem`). */
    phrases: z.array(z.string().min(1).max(200)).max(500).default([]),
    /** Phrases match only as written (or in capitals): "Outreach" the vendor, not "our outreach team". */
    case_sensitive: z.boolean().default(false),
    /** Regular expressions (JavaScript syntax, matched case-insensitively). */
    patterns: z.array(z.string().min(1).max(500)).max(100).default([]),
    /** Match inflected forms: "price" also finds "prices", "priced", "pricing". */
    stem: z.boolean().default(true),
    /** Ignore mentions in a negated clause ("we don't use Gong"); `on`/`off` are accepted too. */
    negation: z
      .union([z.boolean(), z.enum(['on', 'off'])])
      .default(true)
      .transform((value) => value === true || value === 'on'),
    /** Only count mentions said by this side; `any` for everyone. */
    side: z.enum(['company', 'customer', 'any']).default('any'),
    /** Only count matches spoken by these speakers (case-insensitive); empty means everyone. */
    speakers: z.array(z.string().min(1).max(100)).max(50).default([]),
    /** Only count mentions inside a question. */
    as_question: z.boolean().default(false),
  })
  .strict();
export type TrackerSettings = z.infer<typeof TrackerSettings>;

/** Engines a Brick may name through the API and Kit files (tests register more, programmatically). */
export const PUBLIC_ENGINES = ['llm', 'metric', 'tracker'] as const;

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
    metric: MetricSettings.optional(),
    tracker: TrackerSettings.optional(),
  })
  .strict();
export type BrickDefinition = z.infer<typeof BrickDefinition>;
