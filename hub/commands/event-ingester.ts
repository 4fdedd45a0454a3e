import { AppError, type DetectionEvent, type EventResult } from '../../contracts/index.js';
import type { AppAbility } from '../../policies/index.js';
import { adoptAuditTail, auditInsertPart, type AuditEntry, type CommandContext } from '../audit/index.js';
import { usageIncrement } from '../usage/index.js';
import { enqueueIncidentMessages } from '../webhooks/index.js';
import { assignIncidents, type CameraPlacement, type MergeableIncident } from './incident-merger.js';
import { groupKeys, loadSeenAndOpen, writeIncidentsAndEvents, type EventRow } from './ingest-queries.js';
import { screenPlacement, validateItems, type CameraRow, type ScreenedItem } from './event-screener.js';
import { closeRecoveredOutages, isCameraRecovery } from './outage-closer.js';
import { screenPrograms } from './program-screener.js';
import { linkEventsToPos, type LaneEvent } from './pos-correlator.js';

interface IngestOptions {
  ability: AppAbility;
  sourceId: string;
  defaultMergeWindowSeconds: number;
  /** Window of POS correlation (the hub's pos.correlationWindowSeconds); 120 s when not given. */
  posCorrelationWindowSeconds?: number;
}

// The incident path's queries, shared with the POS incident opener.
export { lockGroups, loadOpenIncidents, writeIncidents } from './ingest-queries.js';

export interface IngestSummary {
  results: EventResult[];
  created: number;
  duplicates: number;
  rejected: number;
  incidentsCreated: string[];
  incidentsMerged: string[];
}

/** The stored rows of the new events, each with its incident (or none). */
function eventRows(events: DetectionEvent[], sourceId: string, incidentOf: (eventId: string) => string | null, placement: (id: string) => CameraPlacement): EventRow[] {
  return events.map((e) => ({
    id: e.id, occurredAt: e.occurredAt, storeId: e.storeId, cameraId: e.cameraId, laneId: e.laneId ?? placement(e.cameraId).laneId,
    sourceId, type: e.type, severity: e.severity, confidence: e.confidence, incidentId: incidentOf(e.id), payload: e,
  }));
}

const eventsOf = (items: ScreenedItem[]): DetectionEvent[] => items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));

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
  // The camera-and-type locks are taken in the statement that reads the cameras; what they guard is read after.
  const placed = await screenPlacement(trx, tenantId, validated, options.ability, groupKeys(tenantId, eventsOf(validated)));
  const { cameras } = placed;
  const { items, modes } = await screenPrograms(trx, tenantId, placed.items);
  const candidates = eventsOf(items);
  const placement = placementOf(cameras, options.defaultMergeWindowSeconds);
  const maxWindowMs = Math.max(0, ...candidates.map((e) => placement(e.cameraId).mergeWindowMs));
  const loaded = candidates.length > 0
    ? await loadSeenAndOpen(trx, tenantId, candidates.map((e) => e.id), candidates.filter((e) => !isCameraRecovery(e)), maxWindowMs)
    : null;
  if (loaded) adoptAuditTail(trx, loaded.auditTail);
  const seen = loaded?.seen ?? new Map<string, string | null>();
  const open = loaded?.open ?? [];
  const fresh = candidates.filter((e) => !seen.has(e.id));
  // A camera coming back closes its outage instead of opening an incident of its own.
  const recoveries = fresh.filter(isCameraRecovery);
  const { assignment, incidents } = assignIncidents(fresh.filter((e) => !isCameraRecovery(e)), open, placement, modes);
  const closedBy = new Map<string, string>();
  const incidentOf = (eventId: string): string | null => assignment.get(eventId)?.id ?? closedBy.get(eventId) ?? null;
  const outcome = (event: DetectionEvent): EventResult => {
    const incidentId = seen.has(event.id) ? seen.get(event.id) : incidentOf(event.id);
    return { id: event.id, status: seen.has(event.id) ? 'duplicate' : 'created', ...(incidentId ? { incidentId } : {}) };
  };
  // Every new event is metered once, and the batch audited, in the statement that stores it.
  const metered = fresh.length > 0 ? [usageIncrement(tenantId, 'events', fresh.length)] : [];
  const writeWithAudit = async (): Promise<IngestSummary> => {
    const summary = summarise(resultsOf(items, outcome), incidents);
    const audited = auditInsertPart(ctx, ingestAudit(ctx, summary, incidents));
    await writeIncidentsAndEvents(trx, tenantId, recoveries.length === 0 ? incidents : [], eventRows(fresh, options.sourceId, incidentOf, placement), [...metered, ...(audited ? [audited] : [])]);
    return summary;
  };
  if (recoveries.length > 0) {
    // An outage opened by this very batch is stored before a recovery of the batch closes it.
    await writeIncidentsAndEvents(trx, tenantId, incidents, []);
    for (const [eventId, incidentId] of await closeRecoveredOutages(ctx, recoveries)) closedBy.set(eventId, incidentId);
  }
  const summary = await writeWithAudit();
  await enqueueIncidentMessages(ctx, incidents.map((incident) => ({ incident, type: incident.isNew ? 'incident.created' : 'incident.updated' })), loaded ?? undefined);
  await linkEventsToPos(ctx, laneEvents(fresh, assignment, placement), { ...(options.posCorrelationWindowSeconds === undefined ? {} : { windowSeconds: options.posCorrelationWindowSeconds }) });
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

/** The batch's audit records: each incident it opened, and the batch itself (none when it stored nothing). */
function ingestAudit(ctx: CommandContext, summary: IngestSummary, incidents: MergeableIncident[]): AuditEntry[] {
  if (summary.created === 0) return [];
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
  return [...created, batch];
}
