import type { Store } from '../store/store.ts';
import { type Counter, type Histogram, MetricsRegistry } from './metrics.ts';

/** What this process exposes on GET /metrics. */
export interface ServerMetrics {
  registry: MetricsRegistry;
  httpRequests: Counter;
  httpDuration: Histogram;
  webhookAttempts: Counter;
  /** Parts that exist only in some roles register their gauges once started. */
  watch(parts: { runsInFlight?: () => number; deliveriesInFlight?: () => number }): void;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createServerMetrics(store: Store): ServerMetrics {
  const registry = new MetricsRegistry();
  const httpRequests = registry.counter(
    'semarize_http_requests_total',
    'HTTP requests by method, route and status',
  );
  const httpDuration = registry.histogram(
    'semarize_http_request_duration_seconds',
    'HTTP request duration by method and route (sync waits and long polls included)',
    SECONDS_BUCKETS,
  );
  const webhookAttempts = registry.counter(
    'semarize_webhook_attempts_total',
    'Webhook delivery attempts by outcome: succeeded, retry or failed',
  );
  registry.gauge('semarize_runs_queued', 'Runs waiting for a worker, all workspaces', async () => {
    return (await store.queueGetStats()).queued;
  });
  registry.gauge('semarize_run_duration_recent_ms', 'Median duration of recently finished runs', async () => {
    return (await store.queueGetStats()).recentDurationMs ?? 0;
  });
  registry.gauge(
    'process_resident_memory_bytes',
    'Resident memory of this process',
    () => process.memoryUsage().rss,
  );
  registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);
  return {
    registry,
    httpRequests,
    httpDuration,
    webhookAttempts,
    watch(parts) {
      if (parts.runsInFlight) {
        registry.gauge('semarize_runs_in_flight', 'Runs this process is executing', parts.runsInFlight);
      }
      if (parts.deliveriesInFlight) {
        registry.gauge(
          'semarize_webhook_deliveries_in_flight',
          'Webhook attempts this process is sending',
          parts.deliveriesInFlight,
        );
      }
    },
  };
}
