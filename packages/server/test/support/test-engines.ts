import { RunFailure } from '../../src/errors/run-failure.ts';
import { type EngineRegistry, perBrick } from '../../src/evaluation/engine.ts';

/**
 * Engines for tests only. They are passed to startServer programmatically and can never be named
 * through configuration or the API. Behaviour comes from the run's context fields.
 */
export const testEngines: EngineRegistry = {
  /** Sleeps `input.sleep_ms` (default 200), honouring the abort signal. */
  test_sleep: perBrick(async (brick, _conversation, context, signal) => {
    const ms = typeof context['sleep_ms'] === 'number' ? context['sleep_ms'] : 200;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    return {
      value: true,
      confidence: 1,
      reason: `slept ${ms} ms`,
      evidence: [],
      evidence_spans: [],
      brick_version: brick.version,
    };
  }),
  /** Fails the run with model_error, as a provider failure would. */
  test_fail: perBrick(async () => {
    throw new RunFailure('model_error', 'The test engine failed on purpose.', {
      userMessage: 'This analysis failed. Please try again later.',
    });
  }),
  /** Throws an unexpected error (becomes internal_error). */
  test_crash: perBrick(async () => {
    throw new Error('unexpected crash in test engine');
  }),
};
