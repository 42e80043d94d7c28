import { type NormalisedInput, normaliseInput } from '../evaluation/normalise-input.ts';
import { InputInvalid } from '../evaluation/run-failure.ts';
import { ApiError } from '../http/api-error.ts';

/** Normalises a request's input, answering 422 `input_invalid` (with the reason) when it cannot be. */
export function checkedInput(input: Record<string, unknown>): NormalisedInput {
  try {
    return normaliseInput(input);
  } catch (error) {
    if (error instanceof InputInvalid) {
      throw new ApiError('input_invalid', { message: error.message, detail: { reason: error.reason } });
    }
    throw error;
  }
}
