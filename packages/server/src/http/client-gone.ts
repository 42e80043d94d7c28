import type { FastifyReply, FastifyRequest } from 'fastify';

/** Aborts when the client goes away, so a sync wait or long poll stops holding resources. */
export function clientGone(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  request.raw.once('aborted', () => controller.abort());
  return controller.signal;
}
