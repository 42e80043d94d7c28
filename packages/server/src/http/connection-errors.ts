import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import { ApiError, errorBody } from '../errors/api-error.ts';
import { MAX_URL_LENGTH } from './http-limits.ts';

/**
 * The request each connection is currently receiving, so that an error Node raises on the socket
 * (a request timeout mid-body) answers with that request's id rather than a new one.
 */
export class RequestsBySocket {
  readonly #current = new WeakMap<Socket, FastifyReply>();

  receiving(reply: FastifyReply): void {
    this.#current.set(reply.request.raw.socket, reply);
  }

  answered(reply: FastifyReply): void {
    const socket = reply.request.raw.socket;
    if (this.#current.get(socket) === reply) this.#current.delete(socket);
  }

  on(socket: Socket): FastifyReply | undefined {
    return this.#current.get(socket);
  }
}

/** Whether a header overflow happened inside the request line, i.e. the URL is what is too long. */
function requestLineOverflowed(error: NodeJS.ErrnoException & { rawPacket?: unknown }): boolean {
  const packet = error.rawPacket;
  if (!Buffer.isBuffer(packet) || !/^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1'))) return false;
  const lineEnd = packet.indexOf('\r\n');
  return lineEnd === -1 || lineEnd > MAX_URL_LENGTH;
}

function catalogError(error: NodeJS.ErrnoException): ApiError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError('request_timeout');
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(requestLineOverflowed(error) ? 'url_too_long' : 'headers_too_large');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiError('payload_too_large', { message: 'A chunk extension is too large.' });
    default:
      return new ApiError('invalid_request', { message: 'The HTTP request is malformed.' });
  }
}

/**
 * Answers the errors Node raises on a connection before or while a request arrives (malformed HTTP,
 * header overflow, the request timeout) in the catalog's shape with a request id, then closes the
 * connection: after such an error its bytes cannot be trusted to frame another request.
 */
export function connectionErrorHandler(
  requests: RequestsBySocket,
  newRequestId: () => string,
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    const reply = requests.on(socket);
    // A reset socket cannot be written; one mid-answer must not get a second status line.
    if (error.code === 'ECONNRESET' || !socket.writable || reply?.raw.headersSent) {
      socket.destroy();
      return;
    }
    const apiError = catalogError(error);
    const requestId = reply?.request.id ?? newRequestId();
    const body = JSON.stringify(errorBody(apiError, requestId));
    socket.end(
      `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  };
}
