import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';

/** SPEC §13: a list tool answers at most this many items per call. */
export const MAX_PAGE = 20;

export const PageCursor = z.string().max(200).optional().describe('next_cursor of the previous page');

/** One page of an in-memory list (Kits, Bricks): the cursor is the offset, opaque to the client. */
export function pageOf<T>(items: readonly T[], cursor: string | undefined) {
  const offset = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ApiError('invalid_request', {
      detail: { fields: [{ field: 'cursor', message: 'not a cursor from next_cursor' }] },
    });
  }
  const end = offset + MAX_PAGE;
  return {
    items: items.slice(offset, end),
    next_cursor: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : null,
  };
}
