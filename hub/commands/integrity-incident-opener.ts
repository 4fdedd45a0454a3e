import { newId } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { enqueueIncidentMessage, type IncidentSnapshot } from '../webhooks/index.js';

/** Where the integrity failure was found: the item's camera and store, and what the check saw. */
export interface IntegrityFinding {
  itemId: string;
  storeId: string;
  regionId: string;
  cameraId: string;
  problem: string | null;
  /** What found it: the check before an export, or the scheduled fixity round. */
  source: 'fixity';
}

/**
 * Opens an `evidence_integrity` incident (severity high) for evidence whose stored bytes no longer match
 * their acquisition hash: the incident row, its `incident.created` audit record, and the `incident.created`
 * webhook message every incident sends, routed by the tenant's policies, in the caller's transaction.
 */
export async function openIntegrityIncident(ctx: CommandContext, finding: IntegrityFinding): Promise<string> {
  const at = (ctx.now ?? (() => new Date()))();
  const incident: IncidentSnapshot = {
    id: newId('incident', at.getTime()), storeId: finding.storeId, regionId: finding.regionId, laneId: null, cameraId: finding.cameraId,
    type: 'evidence_integrity', severity: 'high', state: 'new', confidence: 1, eventCount: 0, openedAt: at, lastEventAt: at,
  };
  await ctx.trx('incidents').insert({
    tenant_id: ctx.tenantId, id: incident.id, store_id: incident.storeId, region_id: incident.regionId, lane_id: null, camera_id: incident.cameraId,
    type: incident.type, severity: incident.severity, state: incident.state, confidence: incident.confidence, event_count: incident.eventCount,
    opened_at: at, last_event_at: at,
  });
  await writeAudit(ctx, {
    action: 'incident.created', subjectType: 'Incident', subjectId: incident.id,
    after: { state: 'new', type: incident.type, severity: incident.severity, cameraId: incident.cameraId, storeId: incident.storeId, itemId: finding.itemId, source: finding.source, problem: finding.problem },
  });
  await enqueueIncidentMessage(ctx, incident, 'incident.created');
  return incident.id;
}
