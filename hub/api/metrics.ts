import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HubMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  eventsIngested: Counter<'status'>;
  incidentsCreated: Counter;
  /** Authenticated plugin requests by the version in their User-Agent and whether it is below MIN_PLUGIN_VERSION. */
  pluginRequests: Counter<'version' | 'outdated'>;
}

/**
 * One registry per hub instance (tests start several in one process). /metrics is unauthenticated, so no
 * series carries a tenant id or anything else that says who the customers are or how busy each one is:
 * counts are hub-wide; per-tenant figures belong to the authenticated usage API.
 */
export function createMetrics(): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_hub_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsIngested: new Counter({ name: 'vigil_events_ingested_total', help: 'Detection events by result', labelNames: ['status'], registers: [registry] }),
    incidentsCreated: new Counter({ name: 'vigil_incidents_created_total', help: 'Incidents opened', registers: [registry] }),
    pluginRequests: new Counter({ name: 'vigil_plugin_requests_total', help: 'Plugin requests by plugin version; outdated="true": older than the hub supports', labelNames: ['version', 'outdated'], registers: [registry] }),
  };
}
