import { z } from 'zod';

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
