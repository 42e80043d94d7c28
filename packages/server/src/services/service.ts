/**
 * Something a process runs in the background (River's `startstop.Service`): `start` returns at
 * once with the work going on its own; `stop` resolves once it has finished. Both may be called
 * at any time and more than once: a second start does nothing, a stop of a stopped service too.
 */
export interface Service {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Starts services in order. If one fails to start, the ones already started are stopped again
 * before the error is passed on, so a failed start leaves nothing running.
 */
export async function startAll(services: readonly Service[]): Promise<void> {
  for (const [index, service] of services.entries()) {
    try {
      service.start();
    } catch (error) {
      await stopAll(services.slice(0, index));
      throw error;
    }
  }
}

/**
 * Stops services in the reverse order of their start, one after the other: a service started
 * before another (the dispatcher before the executor) keeps serving it until it has stopped.
 */
export async function stopAll(services: readonly Service[]): Promise<void> {
  for (const service of [...services].reverse()) await service.stop();
}
