import type { CommandContext } from '../audit/index.js';
import { loadPolicies, routeIncident } from '../routing/index.js';
import { insertMessages, splitByEnabled, type Destinations, type NewMessage } from './message-writer.js';
import { z } from 'zod';

/** What routing needs of an endpoint. */
export interface RoutableEndpoint {
  id: string;
  eventTypes: string[];
  enabled: boolean;
  shadowTraffic: boolean;
}

/**
 * The tenant's endpoints (disabled ones included) as one JSON array, for a command that reads them inside
 * a statement of its own to save a round trip; parse with `routableEndpoints`. Row-level security keeps
 * it to the bound tenant and environment.
 */
export const ROUTABLE_ENDPOINTS_SQL = `SELECT coalesce(json_agg(json_build_object('id', e.id, 'eventTypes', e.event_types, 'enabled', e.enabled, 'shadowTraffic', e.shadow_traffic)), '[]'::json)
  FROM webhook_endpoints e WHERE e.tenant_id = ?`;
const routableSchema = z.array(z.object({ id: z.string(), eventTypes: z.array(z.string()), enabled: z.boolean(), shadowTraffic: z.boolean() }));
export const routableEndpoints = (value: unknown): RoutableEndpoint[] => routableSchema.parse(value);

async function readEndpoints(ctx: CommandContext): Promise<RoutableEndpoint[]> {
  const { rows } = await ctx.trx.raw<{ rows: Array<{ endpoints: unknown }> }>(`SELECT (${ROUTABLE_ENDPOINTS_SQL}) AS endpoints`, [ctx.tenantId]);
  return routableEndpoints(rows[0]?.endpoints ?? []);
}

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
 * message into the outbox in the command's own transaction. A tenant without endpoints costs one indexed
 * query (none when the caller read them already, `known`); disabled endpoints get held deliveries.
 */
export async function enqueueIncidentMessages(
  ctx: CommandContext, items: Array<{ incident: IncidentSnapshot; type: IncidentMessageType }>, known?: { endpoints: RoutableEndpoint[] },
): Promise<string[]> {
  if (items.length === 0) return [];
  // Disabled endpoints are included: they get held (skipped) deliveries that `recover` can send later.
  const endpoints = known?.endpoints ?? await readEndpoints(ctx);
  if (endpoints.length === 0) return [];
  const policies = await loadPolicies(ctx.trx, ctx.tenantId);
  const now = ctx.now?.() ?? new Date();
  const messages: Array<{ message: NewMessage; destinations: Destinations }> = [];
  for (const { incident, type } of items) {
    // Shadow incidents bypass routing (no paging, no cooldowns, no escalation): shadow subscribers get them, nobody else.
    const chosen = incident.shadow === true
      ? endpoints.filter((e) => e.shadowTraffic && e.eventTypes.includes(type))
      : await routedEndpoints(ctx, endpoints, incident, type, now, policies);
    messages.push({ message: { type, subjectId: incident.id, data: incidentData(incident) }, destinations: splitByEnabled(chosen) });
  }
  return insertMessages(ctx.trx, ctx.tenantId, messages);
}

async function routedEndpoints(
  ctx: CommandContext, endpoints: RoutableEndpoint[], incident: IncidentSnapshot, type: IncidentMessageType, now: Date, policies: Awaited<ReturnType<typeof loadPolicies>>,
): Promise<RoutableEndpoint[]> {
  const decision = await routeIncident(ctx.trx, ctx.tenantId, incident, type === 'incident.created', now, policies);
  return endpoints.filter((e) => e.eventTypes.includes(type) && (decision.isUnrouted || decision.endpointIds.includes(e.id)));
}

export async function enqueueIncidentMessage(ctx: CommandContext, incident: IncidentSnapshot, type: IncidentMessageType): Promise<string | null> {
  const [id] = await enqueueIncidentMessages(ctx, [{ incident, type }]);
  return id ?? null;
}
