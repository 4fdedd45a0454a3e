import type { CommandContext } from '../audit/index.js';
import { loadPolicies, routeIncident } from '../routing/index.js';
import { insertMessage, splitByEnabled } from './message-writer.js';
import { WebhookEndpoint } from '../../models/index.js';

/** The incident fields a message carries (both a freshly merged incident and a stored one have them). */
export interface IncidentSnapshot {
  id: string;
  storeId: string;
  regionId: string;
  laneId: string | null;
  cameraId: string;
  type: string;
  severity: string;
  /** Unknown for an incident merged during ingest (only its counters were touched). */
  state?: string;
  confidence: number;
  eventCount: number;
  openedAt: Date;
  lastEventAt: Date;
  outcome?: Record<string, unknown> | null;
  dismissReason?: string | null;
  programId?: string | null;
  /** A shadow incident (a pilot program's hit) goes only to endpoints that subscribe to shadow traffic. */
  shadow?: boolean;
}

export type IncidentMessageType = 'incident.created' | 'incident.updated' | 'incident.resolved';

export function incidentData(incident: IncidentSnapshot): Record<string, unknown> {
  return {
    id: incident.id,
    type: incident.type,
    severity: incident.severity,
    ...(incident.state ? { state: incident.state } : {}),
    storeId: incident.storeId,
    regionId: incident.regionId,
    laneId: incident.laneId,
    cameraId: incident.cameraId,
    confidence: incident.confidence,
    eventCount: incident.eventCount,
    openedAt: incident.openedAt.toISOString(),
    lastEventAt: incident.lastEventAt.toISOString(),
    ...(incident.outcome ? { outcome: incident.outcome } : {}),
    ...(incident.dismissReason ? { dismissReason: incident.dismissReason } : {}),
    ...(incident.programId ? { programId: incident.programId, shadow: incident.shadow === true } : {}),
    links: { self: `/v1/incidents/${incident.id}` },
  };
}

/**
 * The one call the incident commands make: routes each incident by the tenant's policies and writes its
 * message into the outbox in the command's own transaction. A tenant without enabled endpoints costs
 * one indexed query;
 * disabled endpoints get held deliveries.
 */
export async function enqueueIncidentMessages(ctx: CommandContext, items: Array<{ incident: IncidentSnapshot; type: IncidentMessageType }>): Promise<string[]> {
  if (items.length === 0) return [];
  // Disabled endpoints are included: they get held (skipped) deliveries that `recover` can send later.
  const endpoints = await WebhookEndpoint.forTenant(ctx.trx, ctx.tenantId).select('id', 'event_types', 'enabled', 'shadow_traffic');
  if (endpoints.length === 0) return [];
  const policies = await loadPolicies(ctx.trx, ctx.tenantId);
  const now = ctx.now?.() ?? new Date();
  const ids: string[] = [];
  for (const { incident, type } of items) {
    // Shadow incidents bypass routing (no paging, no cooldowns, no escalation): shadow subscribers get them, nobody else.
    const chosen = incident.shadow === true
      ? endpoints.filter((e) => e.shadowTraffic && e.eventTypes.includes(type))
      : await routedEndpoints(ctx, endpoints, incident, type, now, policies);
    const id = await insertMessage(ctx.trx, ctx.tenantId, { type, subjectId: incident.id, data: incidentData(incident) }, splitByEnabled(chosen));
    if (id) ids.push(id);
  }
  return ids;
}

async function routedEndpoints(
  ctx: CommandContext, endpoints: WebhookEndpoint[], incident: IncidentSnapshot, type: IncidentMessageType, now: Date, policies: Awaited<ReturnType<typeof loadPolicies>>,
): Promise<WebhookEndpoint[]> {
  const decision = await routeIncident(ctx.trx, ctx.tenantId, incident, type === 'incident.created', now, policies);
  return endpoints.filter((e) => e.eventTypes.includes(type) && (decision.isUnrouted || decision.endpointIds.includes(e.id)));
}

export async function enqueueIncidentMessage(ctx: CommandContext, incident: IncidentSnapshot, type: IncidentMessageType): Promise<string | null> {
  const [id] = await enqueueIncidentMessages(ctx, [{ incident, type }]);
  return id ?? null;
}
