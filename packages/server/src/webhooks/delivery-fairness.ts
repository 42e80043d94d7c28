/**
 * How a dispatcher shares its slots (SPEC §9.4): one tenant's slow or hanging receivers must not
 * delay another tenant's events.
 */

/** Deliveries in flight to one endpoint at once, over all dispatchers (SPEC §9.4). */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 4;

/**
 * The most of a dispatcher's `concurrency` slots one workspace may hold: all but a quarter, which
 * stay free for the other workspaces. Hung attempts are never cut short (a receiver has its 10 s),
 * so only slots kept free can serve a tenant that arrives while another one's receivers hang.
 */
export function maxInFlightPerWorkspace(concurrency: number): number {
  return Math.max(1, concurrency - Math.floor(concurrency / 4));
}
