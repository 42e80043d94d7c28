import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../../metrics/server-metrics.ts';

/**
 * GET /metrics in the Prometheus text format. Unauthenticated, like /healthz, so any scraper can
 * read it: it carries counts and timings, never keys, ids or content (docs/decisions.md).
 */
export function registerMetricsRoutes(app: FastifyInstance, metrics: ServerMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.registry.render();
  });
}
