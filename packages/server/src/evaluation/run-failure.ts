import type { Usage } from './brick-result.ts';

/** Terminal error codes of a run (SPEC §3.6). */
export type RunErrorCode =
  | 'model_not_configured'
  | 'model_error'
  | 'model_timeout'
  | 'model_rate_limited'
  | 'model_refused'
  | 'output_invalid'
  | 'input_too_large'
  | 'execution_timeout'
  | 'worker_lost'
  | 'cancelled'
  | 'internal_error';

/**
 * Thrown by evaluation to end a run as `failed` with a specific code.
 * `message` is for developers; `userMessage` is safe to show an end user.
 */
export class RunFailure extends Error {
  readonly code: RunErrorCode;
  readonly userMessage: string;
  /** Model usage spent before the failure: a failed run still reports it (SPEC §11.4). */
  usage: Usage | undefined;
  constructor(code: RunErrorCode, message: string, userMessage: string, usage?: Usage) {
    super(message);
    this.name = 'RunFailure';
    this.code = code;
    this.userMessage = userMessage;
    this.usage = usage;
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
