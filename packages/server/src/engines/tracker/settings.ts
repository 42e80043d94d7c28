import { z } from 'zod';
import { KIT_LIMIT_CEILINGS } from '../../kits/kit-limit-ceilings.ts';

/** Settings of the `tracker` engine: what to look for. */
export const TrackerSettings = z
  .object({
    /** Plain phrases, matched on word boundaries (with their inflections when `stem`). */
    phrases: z.array(z.string().min(1).max(200)).max(KIT_LIMIT_CEILINGS.maxTrackerPhrases).default([]),
    /** Phrases match only as written (or in capitals): "Outreach" the vendor, not "our outreach team". */
    case_sensitive: z.boolean().default(false),
    /** Regular expressions (JavaScript syntax, matched case-insensitively). */
    patterns: z.array(z.string().min(1).max(500)).max(KIT_LIMIT_CEILINGS.maxTrackerPatterns).default([]),
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
