import type { ReceivedRequest } from './fake-model-server.ts';
import { requestedKeys } from './fake-model-server.ts';

type Answer = { value: unknown; confidence: number; reason: string; evidence: string[] };

/**
 * A well-formed answer for every Brick the request asks for: `byKey` answers named Bricks, the rest
 * get `fallback`. This is how a competent model would fill the schema.
 */
export function answerEvery(
  request: ReceivedRequest,
  byKey: Record<string, Partial<Answer>>,
  fallback: Answer = { value: null, confidence: 0.5, reason: 'No basis in the conversation.', evidence: [] },
): Record<string, Answer> {
  return Object.fromEntries(requestedKeys(request).map((key) => [key, { ...fallback, ...byKey[key] }]));
}
