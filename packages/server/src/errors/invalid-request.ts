import type { z } from 'zod';
import { ApiError } from './api-error.ts';

/** How a request that fails its zod schema is answered: `invalid_request` naming each field. */

/** `bricks[2].output.options` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** Field-level failures as `detail.fields` of an `invalid_request`. */
export function invalidRequest(error: z.ZodError, prefix = ''): ApiError {
  return new ApiError('invalid_request', {
    detail: {
      fields: error.issues.map((i) => ({
        field: prefix + formatIssuePath(i.path),
        message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
      })),
    },
  });
}

/** A JSON object body validated by `schema`: `invalid_json` when it is not an object, else field errors. */
export function parseJsonBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('invalid_json');
  const result = schema.safeParse(body);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}
