import type { ReceivedRequest } from './fake-model-server.ts';
import { requestedKeys } from './fake-model-server.ts';

/** A quote as the schema asks for it; a bare string is what an older or sloppier model sends. */
type Evidence = { turn: number; quote: string } | string;
type Answer = { evidence: Evidence[]; reason: string; value: unknown; confidence: number };

/**
 * A well-formed answer for every Brick the request asks for: `byKey` answers named Bricks, the rest
 * get `fallback`. This is how a competent model would fill the schema.
 */
export function answerEvery(
  request: ReceivedRequest,
  byKey: Record<string, Partial<Answer>>,
  fallback: Answer = { evidence: [], reason: 'No basis in the conversation.', value: null, confidence: 0.5 },
): Record<string, Answer> {
  return Object.fromEntries(requestedKeys(request).map((key) => [key, { ...fallback, ...byKey[key] }]));
}

/**
 * Like answerEvery, for Kits made by a test: Brick keys carry a suffix, so answers are given by the
 * key's prefix (`next_step` answers `next_step_x7k2`). An answer may be any JSON, to be hostile.
 */
export function answerByPrefix(
  request: ReceivedRequest,
  byPrefix: Record<string, unknown>,
  fallback: Answer = { evidence: [], reason: 'No basis in the conversation.', value: null, confidence: 0.5 },
): Record<string, unknown> {
  return Object.fromEntries(
    requestedKeys(request).map((key) => {
      const prefix = Object.keys(byPrefix).find((p) => key.startsWith(`${p}_`));
      return [key, prefix === undefined ? fallback : byPrefix[prefix]];
    }),
  );
}
