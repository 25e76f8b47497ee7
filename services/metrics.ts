// Prometheus metrics of the process (GET /metrics): HTTP requests, mails by outcome, changes
// kept for workflows, whether Temporal answers, and Node's own (event loop, memory). No personal
// data in any label. The Temporal SDK's own metrics (temporal_*) are served by the SDK on
// TEMPORAL_METRICS_PORT (worker/start.ts), not here.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'arscykel_' });

export const httpRequests = new Histogram({
  name: 'arscykel_http_request_duration_seconds',
  // route: the route's pattern (/api/v1/forbund/:forbund/projects), never a path as sent; every
  // request no route took (404, and the 401, 403 and 429 answered before a route) is "(unmatched)",
  // so no client can grow the label set by trying paths (api/app.ts, routeLabel).
  help: 'API requests by method, route pattern ("(unmatched)" for requests no route took) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const mails = new Counter({
  name: 'arscykel_mails_total',
  help: 'E-mails by outcome: sent, failed (refused for good), rejected_recipients (sent, some addresses refused), retried (temporary error)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const keptSignals = new Gauge({
  name: 'arscykel_workflow_changes_kept',
  help: 'Changes stored by the API that have not yet reached their workflow (Temporal unreachable)',
  registers: [registry],
});

export const temporalUp = new Gauge({
  name: 'arscykel_temporal_up',
  help: '1 while the worker runs and Temporal answers a round trip (checked every 5 s), else 0',
  registers: [registry],
});
