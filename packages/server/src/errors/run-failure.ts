import type { Usage } from '../evaluation/brick-result.ts';

/**
 * The one catalog of how a run can fail (SPEC §3.6): each terminal error code with the message an
 * end user may be shown (`error_user_message`) and, where the failure has one fixed cause, the
 * developer message (`error_message`). Request-level errors are the other catalog, api-error.ts.
 */
export const RUN_FAILURES = {
  model_not_configured: {
    userMessage:
      'This analysis needs a language model, and none is configured on this server. Ask its administrator to set one up.',
  },
  model_error: { userMessage: 'The language model service returned an error. Please try again later.' },
  model_timeout: { userMessage: 'The language model took too long to answer. Please try again.' },
  model_rate_limited: {
    userMessage: 'The language model service is busy right now. Please try again in a few minutes.',
  },
  model_refused: {
    userMessage:
      'The language model declined to analyse this conversation. Review its content, or try another model.',
  },
  output_invalid: { userMessage: "The language model's answer could not be used. Please try again." },
  input_too_large: {
    userMessage: 'This conversation is too long to analyse in one pass. Send a shorter part of it.',
  },
  execution_timeout: {
    message: 'The run exceeded its execution deadline.',
    userMessage: 'This analysis took too long and was stopped. Please try again.',
  },
  worker_lost: {
    message: 'The worker executing the run stopped responding on every attempt.',
    userMessage: 'This analysis could not be completed. Please try again.',
  },
  cancelled: {
    message: 'The run was cancelled by request.',
    userMessage: 'This analysis was cancelled before it finished.',
  },
  internal_error: {
    message: 'An unexpected error occurred while executing the run.',
    userMessage: 'Something went wrong while analysing this conversation. Please try again.',
  },
} as const satisfies Record<string, { message?: string; userMessage: string }>;

/** Terminal error codes of a run (SPEC §3.6). */
export type RunErrorCode = keyof typeof RUN_FAILURES;

/** The user message of an `internal_error` the Kit's owner can fix (a Brick twice, an unknown engine). */
export const MISCONFIGURED_KIT_USER_MESSAGE = 'This Kit is misconfigured; contact its owner.';

/**
 * Thrown by evaluation to end a run as `failed` with a specific code.
 * `message` is for developers; `userMessage` is safe to show an end user.
 */
export class RunFailure extends Error {
  readonly code: RunErrorCode;
  readonly userMessage: string;
  /** Model usage spent before the failure: a failed run still reports it (SPEC §11.4). */
  usage: Usage | undefined;
  constructor(code: RunErrorCode, message: string, options: { userMessage?: string; usage?: Usage } = {}) {
    super(message);
    this.name = 'RunFailure';
    this.code = code;
    this.userMessage = options.userMessage ?? RUN_FAILURES[code].userMessage;
    this.usage = options.usage;
  }
}

/** Thrown when an input cannot be evaluated at all (HTTP 422 `input_invalid` at creation). */
export class InputInvalid extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'InputInvalid';
    this.reason = reason;
  }
}
