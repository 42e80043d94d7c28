/**
 * The most a Kit and a tracker Brick may ever hold (SPEC §9.3): the request schemas enforce these
 * and the OpenAPI document states them. The configured limits (`SEMARIZE_MAX_KIT_BRICKS`, …) may
 * lower them, never raise them; a leaf, so `config.ts` can refuse a higher one at start-up.
 */
export const KIT_LIMIT_CEILINGS = {
  maxKitBricks: 100,
  maxTrackerPhrases: 500,
  maxTrackerPatterns: 100,
} as const;
