/** Storage cannot be reached right now (locked, closed, connection lost): answer 503, not 500. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
