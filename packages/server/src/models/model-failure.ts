import { APICallError } from 'ai';
import { RunFailure } from '../errors/run-failure.ts';
import type { Usage } from '../evaluation/brick-result.ts';

/** Why one model call did not answer, and whether trying again may help. */
export interface CallProblem {
  kind: 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'rejected';
  retryable: boolean;
  status?: number;
  headers?: Record<string, string>;
  detail: string;
}

/** Classifies what a provider call threw. `timedOut` says our own per-call timer fired. */
export function describeCallProblem(error: unknown, timedOut: boolean): CallProblem {
  if (timedOut) return { kind: 'timeout', retryable: true, detail: 'no answer within the model timeout' };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const headers = error.responseHeaders;
    const base = { ...(status === undefined ? {} : { status }), ...(headers ? { headers } : {}) };
    if (status === 429) return { kind: 'rate_limited', retryable: true, ...base, detail: 'HTTP 429' };
    if (status === undefined) {
      return { kind: 'connection', retryable: true, ...base, detail: error.message };
    }
    if (status >= 500 || status === 408 || status === 409) {
      return { kind: 'server_error', retryable: true, ...base, detail: `HTTP ${status}` };
    }
    return { kind: 'rejected', retryable: false, ...base, detail: `HTTP ${status}: ${error.message}` };
  }
  // fetch failures (connection refused, reset) surface as TypeError with a cause.
  return {
    kind: 'connection',
    retryable: true,
    detail: error instanceof Error ? error.message : String(error),
  };
}

/** The terminal run failure for a call that could not be completed (SPEC §3.6). */
export function toRunFailure(problem: CallProblem, spent: Usage): RunFailure {
  const attempts = spent.model_calls;
  const tried = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (problem.kind) {
    case 'rate_limited':
      return new RunFailure(
        'model_rate_limited',
        `The model provider kept rate limiting (${problem.detail}) ${tried}.`,
        { usage: spent },
      );
    case 'timeout':
      return new RunFailure('model_timeout', `The model did not answer in time ${tried}.`, { usage: spent });
    default:
      return new RunFailure('model_error', `The model call failed (${problem.detail}) ${tried}.`, {
        usage: spent,
      });
  }
}
