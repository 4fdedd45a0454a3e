import type { Knex } from 'knex';
import { AppError, OPEN_STATES, type DetectionEvent, type EventResult } from '../../contracts/index.js';
import type { AppAbility } from '../../policies/index.js';
import { writeAudit, type AuditEntry, type CommandContext } from '../audit/index.js';
import { meter } from '../usage/index.js';
import { enqueueIncidentMessages } from '../webhooks/index.js';
import { assignIncidents, type CameraPlacement, type MergeableIncident } from './incident-merger.js';
import { screenPlacement, validateItems, type CameraRow, type ScreenedItem } from './event-screener.js';
import { closeRecoveredOutages, isCameraRecovery } from './outage-closer.js';
import { linkEventsToPos, type LaneEvent } from './pos-correlator.js';

interface IngestOptions {
  ability: AppAbility;
  sourceId: string;
  defaultMergeWindowSeconds: number;
  /** Window of POS correlation (the hub's pos.correlationWindowSeconds); 120 s when not given. */
  posCorrelationWindowSeconds?: number;
}

export interface IngestSummary {
  results: EventResult[];
  created: number;
  duplicates: number;
  rejected: number;
  incidentsCreated: string[];
  incidentsMerged: string[];
}

export async function lockGroups(trx: Knex.Transaction, tenantId: string, events: DetectionEvent[]): Promise<void> {
  const keys = [...new Set(events.map((e) => `${tenantId}/${e.cameraId}/${e.type}`))].sort();
  if (keys.length === 0) return;
  // Serialises concurrent batches for one camera and type, so a replay or a race cannot open two incidents.
  await trx.raw('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT unnest(?::text[]) AS k ORDER BY 1) keys', [keys]);
}

async function findSeen(trx: Knex.Transaction, tenantId: string, ids: string[]): Promise<Map<string, string | null>> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string; incident_id: string | null }> }>(
    'SELECT id, incident_id FROM detection_events WHERE tenant_id = ? AND id = ANY(?)',
    [tenantId, ids],
  );
  return new Map(rows.map((row) => [row.id, row.incident_id]));
}

export async function loadOpenIncidents(trx: Knex.Transaction, tenantId: string, events: DetectionEvent[], maxWindowMs: number): Promise<MergeableIncident[]> {
  const cameraIds = [...new Set(events.map((e) => e.cameraId))];
  const types = [...new Set(events.map((e) => e.type))];
  const times = events.map((e) => Date.parse(e.occurredAt));
  // Only incidents whose span, widened by the largest merge window, can reach one of the batch's events.
  const earliest = new Date(Math.min(...times) - maxWindowMs);
  const latest = new Date(Math.max(...times) + maxWindowMs);
  const { rows } = await trx.raw<{ rows: Array<Record<string, unknown>> }>(
    `SELECT id, store_id, region_id, lane_id, camera_id, type, severity, confidence, event_count, opened_at, last_event_at
       FROM incidents WHERE tenant_id = ? AND camera_id = ANY(?) AND type = ANY(?) AND state = ANY(?)
        AND last_event_at >= ? AND opened_at <= ?`,
    [tenantId, cameraIds, types, [...OPEN_STATES], earliest, latest],
  );
  return rows.map((r) => ({
    id: r.id as string,
    storeId: r.store_id as string,
    regionId: r.region_id as string,
    laneId: r.lane_id as string | null,
    cameraId: r.camera_id as string,
    type: r.type as string,
    severity: r.severity as string,
    confidence: Number(r.confidence),
    eventCount: Number(r.event_count),
    openedAt: r.opened_at as Date,
    lastEventAt: r.last_event_at as Date,
    isNew: false,
    touched: false,
  }));
}

export async function writeIncidents(trx: Knex.Transaction, tenantId: string, incidents: MergeableIncident[]): Promise<void> {
  const fresh = incidents.filter((i) => i.isNew);
  const merged = incidents.filter((i) => !i.isNew);
  if (fresh.length > 0) {
    await trx('incidents').insert(
      fresh.map((i) => ({
        tenant_id: tenantId, id: i.id, store_id: i.storeId, region_id: i.regionId, lane_id: i.laneId, camera_id: i.cameraId,
        type: i.type, severity: i.severity, state: 'new', confidence: i.confidence, event_count: i.eventCount,
        opened_at: i.openedAt, last_event_at: i.lastEventAt,
      })),
    );
  }
  if (merged.length > 0) {
    const values = merged.map(() => '(?, ?::text, ?::double precision, ?::int, ?::timestamptz, ?::timestamptz)').join(', ');
    await trx.raw(
      `UPDATE incidents AS i SET severity = v.severity, confidence = v.confidence, event_count = v.event_count,
              opened_at = v.opened_at, last_event_at = v.last_event_at, updated_at = now()
         FROM (VALUES ${values}) AS v(id, severity, confidence, event_count, opened_at, last_event_at)
        WHERE i.tenant_id = ? AND i.id = v.id`,
      [...merged.flatMap((i) => [i.id, i.severity, i.confidence, i.eventCount, i.openedAt, i.lastEventAt]), tenantId],
    );
  }
}

async function writeEvents(trx: Knex.Transaction, tenantId: string, sourceId: string, events: DetectionEvent[], incidentOf: (eventId: string) => string | null, placement: (id: string) => CameraPlacement): Promise<void> {
  if (events.length === 0) return;
  await trx('detection_events')
    .insert(
      events.map((e) => ({
        tenant_id: tenantId, id: e.id, occurred_at: new Date(e.occurredAt), store_id: e.storeId, camera_id: e.cameraId,
        lane_id: e.laneId ?? placement(e.cameraId).laneId, source_id: sourceId, type: e.type, severity: e.severity,
        confidence: e.confidence, incident_id: incidentOf(e.id), payload: JSON.stringify(e),
      })),
    )
    .onConflict(['tenant_id', 'id', 'occurred_at'])
    .ignore();
}

function placementOf(cameras: Map<string, CameraRow>, defaultWindowSeconds: number): (id: string) => CameraPlacement {
  return (id) => {
    const c = cameras.get(id);
    if (!c) throw new AppError('internal', `camera ${id} was screened but is missing`);
    const seconds = c.settings?.mergeWindowSeconds ?? defaultWindowSeconds;
    return { storeId: c.store_id, regionId: c.region_id, laneId: c.lane_id, mergeWindowMs: seconds * 1000 };
  };
}

/**
 * Ingests a batch of detection events, each judged on its own: a malformed, mis-dated or misplaced
 * event is refused in its own result while the others are stored. Idempotent on event id (a replay, or
 * a second occurrence in the same batch, answers as a duplicate and writes nothing), merges into open
 * incidents within the store's window, meters and audits, all in the caller's transaction.
 */
export async function ingestEvents(ctx: CommandContext, raws: unknown[], options: IngestOptions): Promise<IngestSummary> {
  const { trx, tenantId } = ctx;
  const validated = validateItems(raws, ctx.now?.() ?? new Date());
  const { items, cameras } = await screenPlacement(trx, tenantId, validated, options.ability);
  const candidates = items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  await lockGroups(trx, tenantId, candidates);
  const seen = await findSeen(trx, tenantId, candidates.map((e) => e.id));
  const fresh = candidates.filter((e) => !seen.has(e.id));
  const placement = placementOf(cameras, options.defaultMergeWindowSeconds);
  const maxWindowMs = Math.max(0, ...fresh.map((e) => placement(e.cameraId).mergeWindowMs));
  // A camera coming back closes its outage instead of opening an incident of its own.
  const recoveries = fresh.filter(isCameraRecovery);
  const detections = fresh.filter((e) => !isCameraRecovery(e));
  const open = detections.length > 0 ? await loadOpenIncidents(trx, tenantId, detections, maxWindowMs) : [];
  const { assignment, incidents } = assignIncidents(detections, open, placement);
  await writeIncidents(trx, tenantId, incidents);
  const closedBy = await closeRecoveredOutages(ctx, recoveries);
  const incidentOf = (eventId: string): string | null => assignment.get(eventId)?.id ?? closedBy.get(eventId) ?? null;
  await writeEvents(trx, tenantId, options.sourceId, fresh, incidentOf, placement);
  await enqueueIncidentMessages(ctx, incidents.map((incident) => ({ incident, type: incident.isNew ? 'incident.created' : 'incident.updated' })));
  const outcome = (event: DetectionEvent): EventResult => {
    const incidentId = seen.has(event.id) ? seen.get(event.id) : incidentOf(event.id);
    return { id: event.id, status: seen.has(event.id) ? 'duplicate' : 'created', ...(incidentId ? { incidentId } : {}) };
  };
  const summary = summarise(resultsOf(items, outcome), incidents);
  const posLinks = await linkEventsToPos(ctx, laneEvents(fresh, assignment, placement), { ...(options.posCorrelationWindowSeconds === undefined ? {} : { windowSeconds: options.posCorrelationWindowSeconds }) });
  await meter(trx, tenantId, 'events', summary.created);
  await auditIngest(ctx, summary, incidents, posLinks);
  return summary;
}

/** The new events that sit on a lane, with their incidents: what POS correlation links to the lane's transactions. */
function laneEvents(events: DetectionEvent[], assignment: Map<string, MergeableIncident>, placement: (id: string) => CameraPlacement): LaneEvent[] {
  return events.flatMap((e) => {
    const laneId = e.laneId ?? placement(e.cameraId).laneId;
    const incident = assignment.get(e.id);
    return laneId && incident ? [{ laneId, occurredAt: new Date(e.occurredAt), incidentId: incident.id }] : [];
  });
}

/** One result per position sent; a repeated id answers as a duplicate of its first occurrence. */
function resultsOf(items: ScreenedItem[], outcome: (event: DetectionEvent) => EventResult): EventResult[] {
  const results: EventResult[] = [];
  for (const item of items) {
    if (item.kind === 'event') results.push(outcome(item.event));
    else if (item.kind === 'result') results.push(item.result);
    else {
      const first = results[item.firstIndex];
      if (!first) throw new AppError('internal', 'a repeated event id points after itself');
      results.push(first.status === 'rejected' ? first : { ...first, status: 'duplicate' });
    }
  }
  return results;
}

function summarise(results: EventResult[], incidents: MergeableIncident[]): IngestSummary {
  const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
  return {
    results,
    created: count('created'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    incidentsCreated: incidents.filter((i) => i.isNew).map((i) => i.id),
    incidentsMerged: incidents.filter((i) => !i.isNew).map((i) => i.id),
  };
}

async function auditIngest(ctx: CommandContext, summary: IngestSummary, incidents: MergeableIncident[], posLinks: AuditEntry[]): Promise<void> {
  if (summary.created === 0) return;
  const created = incidents.filter((i) => i.isNew).map((i) => ({
    action: 'incident.created',
    subjectType: 'Incident',
    subjectId: i.id,
    after: { state: 'new', type: i.type, severity: i.severity, cameraId: i.cameraId, storeId: i.storeId, eventCount: i.eventCount },
  }));
  const batch = {
    action: 'events.ingested',
    subjectType: 'EventBatch',
    subjectId: ctx.requestId ?? 'batch',
    after: { created: summary.created, duplicates: summary.duplicates, rejected: summary.rejected, incidentsCreated: summary.incidentsCreated, incidentsMerged: summary.incidentsMerged },
  };
  await writeAudit(ctx, [...created, ...posLinks, batch]);
}
