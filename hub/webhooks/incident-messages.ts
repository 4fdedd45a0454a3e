import type { CommandContext } from '../audit/index.js';
import { routeIncident } from '../routing/index.js';
import { writeMessage } from './message-writer.js';

/** The incident fields a message carries (both a freshly merged incident and a stored one have them). */
export interface IncidentSnapshot {
  id: string;
  storeId: string;
  regionId: string;
  laneId: string | null;
  cameraId: string;
  type: string;
  severity: string;
  state?: string;
  confidence: number;
  eventCount: number;
  openedAt: Date;
  lastEventAt: Date;
  outcome?: Record<string, unknown> | null;
  dismissReason?: string | null;
}

export type IncidentMessageType = 'incident.created' | 'incident.updated' | 'incident.resolved';

export function incidentData(incident: IncidentSnapshot): Record<string, unknown> {
  return {
    id: incident.id,
    type: incident.type,
    severity: incident.severity,
    state: incident.state ?? 'new',
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
    links: { self: `/v1/incidents/${incident.id}` },
  };
}

/**
 * The one call the incident commands make: routes the incident by the tenant's policies and writes the
 * message into the outbox in the command's own transaction.
 */
export async function enqueueIncidentMessage(ctx: CommandContext, incident: IncidentSnapshot, type: IncidentMessageType): Promise<string | null> {
  const decision = await routeIncident(ctx.trx, ctx.tenantId, incident, type === 'incident.created', ctx.now?.() ?? new Date());
  const message = { type, subjectId: incident.id, data: incidentData(incident) };
  if (decision.isUnrouted) return writeMessage(ctx.trx, ctx.tenantId, message);
  return writeMessage(ctx.trx, ctx.tenantId, message, { endpointIds: decision.endpointIds });
}
