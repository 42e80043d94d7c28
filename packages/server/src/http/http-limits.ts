import type { ServerOptions } from 'node:http';
import type { Config } from '../config.ts';

/** Request line plus headers, as Node counts them; more answers 431 (or 414 for the request line). */
export const MAX_HEADER_BYTES = 16 * 1024;
/** More request headers answer 431, even within MAX_HEADER_BYTES (Node would drop those past 2,000). */
export const MAX_HEADER_COUNT = 200;
/** A longer URL answers 414. Under MAX_HEADER_BYTES, so the router sees it and answers in full. */
export const MAX_URL_LENGTH = 8 * 1024;
/** Longest path parameter: ids, Kit codes and Brick keys are far shorter. Longer answers 414. */
export const MAX_PARAM_LENGTH = 100;
/**
 * How long a kept-alive connection may idle between requests: longer than the 60 s idle timeout of
 * common load balancers, which must be the side that closes (else they send into a closed socket).
 */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * The time limits of the HTTP server (SPEC §9.4). A request has `requestTimeoutMs` from its first
 * byte (from the connection's start for the first request) to deliver headers and body, else Node
 * raises a request timeout (answered 408 by connection-errors.ts) and the connection closes. Once
 * the request has arrived, the limit no longer applies: long polls and sync waits are not cut.
 */
export function httpTimeouts(config: Readonly<Config>): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      // Node checks the deadlines on this interval (30 s by default, which would double the limit).
      connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs),
    },
  };
}
