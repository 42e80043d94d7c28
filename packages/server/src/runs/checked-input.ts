import { ApiError } from '../errors/api-error.ts';
import type { Preparation } from '../evaluation/prepare-input.ts';

/** The prepared input's JSON, or the 422 (`input_invalid`, `input_too_large`) its problem answers. */
export function checkedInput(preparation: Preparation): string {
  if (preparation.ok) return preparation.preparedJson;
  const { code, message, detail } = preparation.problem;
  throw new ApiError(code, { message, detail });
}
