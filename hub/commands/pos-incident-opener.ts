import { newId, type DetectionEvent, type Id } from '../../contracts/index.js';
import type { AuditEntry, CommandContext } from '../audit/index.js';
import { enqueueIncidentMessages } from '../webhooks/index.js';
import { lockGroups, loadOpenIncidents, writeIncidents } from './event-ingester.js';
import { assignIncidents, type CameraPlacement, type MergeableIncident } from './incident-merger.js';
import type { LaneTransaction, PosLink } from './pos-correlator.js';

/** A POS exception with no video incident, to be reviewed on its own. */
export interface PosOnlyException extends LaneTransaction {
  exceptions: string[];
  workstationId: string;
  sequenceNumber: string;
}

interface LaneCamera {
  laneId: Id<'lane'>;
  cameraId: Id<'camera'>;
  storeId: Id<'store'>;
  regionId: string;
}

/** The camera watching each lane (the first registered), with its store's region: an incident needs one. */
async function laneCameras(ctx: CommandContext, laneIds: string[]): Promise<Map<string, LaneCamera>> {
  const { rows } = await ctx.trx.raw<{ rows: Array<{ lane_id: string; camera_id: string; store_id: string; region_id: string }> }>(
    `SELECT DISTINCT ON (c.lane_id) c.lane_id, c.id AS camera_id, c.store_id, s.region_id
       FROM cameras c JOIN stores s ON s.tenant_id = c.tenant_id AND s.id = c.store_id
      WHERE c.tenant_id = ? AND c.lane_id = ANY(?) ORDER BY c.lane_id, c.id`,
    [ctx.tenantId, laneIds],
  );
  // Ids read back from the tenant's own rows are of the kinds their columns hold.
  return new Map(rows.map((r) => [r.lane_id, { laneId: r.lane_id as Id<'lane'>, cameraId: r.camera_id as Id<'camera'>, storeId: r.store_id as Id<'store'>, regionId: r.region_id }]));
}

/** The POS exception as the detection event the incident path merges: type pos_exception, on the lane's camera. */
function asEvent(tx: PosOnlyException, camera: LaneCamera): DetectionEvent {
  return {
    id: newId('event', tx.beginAt.getTime()), cameraId: camera.cameraId, storeId: camera.storeId, laneId: camera.laneId, type: 'pos_exception',
    severity: 'medium', occurredAt: tx.beginAt.toISOString(), confidence: 1, rule: { name: 'pos_exception' }, detections: [], evidence: [],
    attributes: { posTransactionId: tx.id, exceptions: tx.exceptions.join(','), workstationId: tx.workstationId, sequenceNumber: tx.sequenceNumber },
  };
}

/**
 * Opens a `pos_exception` incident for each POS exception no video incident covers, or merges it into
 * the lane's open one within the window: the incident path of event ingest (the same locks, merging,
 * writes, routed messages and audit records), fed with the exceptions as events of the lane's camera. A
 * lane without a camera gets no incident (there is nothing to review it on).
 */
export async function openPosIncidents(ctx: CommandContext, txs: PosOnlyException[], windowMs: number): Promise<{ links: PosLink[]; created: string[]; audit: AuditEntry[] }> {
  if (txs.length === 0) return { links: [], created: [], audit: [] };
  const cameras = await laneCameras(ctx, [...new Set(txs.map((t) => t.laneId))]);
  const pairs = txs.flatMap((tx) => {
    const camera = cameras.get(tx.laneId);
    return camera ? [{ tx, event: asEvent(tx, camera), camera }] : [];
  });
  if (pairs.length === 0) return { links: [], created: [], audit: [] };
  const events = pairs.map((p) => p.event);
  const byCamera = new Map<string, LaneCamera>(pairs.map((p) => [p.camera.cameraId, p.camera]));
  const placement = (cameraId: string): CameraPlacement => {
    const camera = byCamera.get(cameraId);
    return { storeId: camera?.storeId ?? '', regionId: camera?.regionId ?? '', laneId: camera?.laneId ?? null, mergeWindowMs: windowMs };
  };
  await lockGroups(ctx.trx, ctx.tenantId, events);
  const open = await loadOpenIncidents(ctx.trx, ctx.tenantId, events, windowMs);
  const { assignment, incidents } = assignIncidents(events, open.filter((i) => i.laneId !== null), placement);
  await writeIncidents(ctx.trx, ctx.tenantId, incidents);
  await enqueueIncidentMessages(ctx, incidents.map((incident) => ({ incident, type: incident.isNew ? 'incident.created' : 'incident.updated' })));
  const links = pairs.flatMap(({ tx, event }) => {
    const incident = assignment.get(event.id);
    return incident ? [{ posTransactionId: tx.id, incidentId: incident.id, laneId: tx.laneId, reason: 'pos_only' as const }] : [];
  });
  const fresh = incidents.filter((i) => i.isNew);
  return { links, created: fresh.map((i) => i.id), audit: fresh.map(createdEntry) };
}

/** The same record event ingest writes for an incident it opens. */
const createdEntry = (i: MergeableIncident): AuditEntry => ({
  action: 'incident.created', subjectType: 'Incident', subjectId: i.id,
  after: { state: 'new', type: i.type, severity: i.severity, cameraId: i.cameraId, storeId: i.storeId, eventCount: i.eventCount, source: 'pos' },
});
