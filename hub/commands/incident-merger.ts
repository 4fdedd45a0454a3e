import { SEVERITIES, newId, type DetectionEvent, type Severity } from '../../contracts/index.js';

/** The fields of an incident that event merging reads and changes. */
export interface MergeableIncident {
  id: string;
  storeId: string;
  regionId: string;
  laneId: string | null;
  cameraId: string;
  type: string;
  severity: string;
  confidence: number;
  eventCount: number;
  openedAt: Date;
  lastEventAt: Date;
  /** The pilot program whose rule raised it, and whether it is a shadow incident (central review only). */
  programId: string | null;
  shadow: boolean;
  isNew: boolean;
  touched: boolean;
}

export interface CameraPlacement {
  storeId: string;
  regionId: string;
  laneId: string | null;
  mergeWindowMs: number;
}

const severityRank = (s: string): number => SEVERITIES.indexOf(s as Severity);
export const maxSeverity = (a: string, b: string): string => (severityRank(a) >= severityRank(b) ? a : b);
// A program's hits never merge with the store's own (or another program's): each is judged on its own.
const groupKey = (cameraId: string, type: string, programId: string | null): string => `${cameraId}\u0000${type}\u0000${programId ?? ''}`;

function withinWindow(incident: MergeableIncident, at: number, windowMs: number): boolean {
  return at >= incident.openedAt.getTime() - windowMs && at <= incident.lastEventAt.getTime() + windowMs;
}

/**
 * Assigns each new event to an incident: the open incident of the same camera and type whose time span,
 * widened by the store's merge window, covers the event; otherwise a new incident that later events of
 * the batch can join. Pure: the caller loads the open incidents and writes the result.
 */
export function assignIncidents(
  events: DetectionEvent[],
  openIncidents: MergeableIncident[],
  placement: (cameraId: string) => CameraPlacement,
  programModes: ReadonlyMap<string, 'shadow' | 'live'> = new Map(),
): { assignment: Map<string, MergeableIncident>; incidents: MergeableIncident[] } {
  const byGroup = new Map<string, MergeableIncident[]>();
  for (const incident of openIncidents) {
    const key = groupKey(incident.cameraId, incident.type, incident.programId);
    byGroup.set(key, [...(byGroup.get(key) ?? []), incident]);
  }
  const assignment = new Map<string, MergeableIncident>();
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  for (const event of sorted) {
    const place = placement(event.cameraId);
    const at = Date.parse(event.occurredAt);
    const programId = event.program?.id ?? null;
    const key = groupKey(event.cameraId, event.type, programId);
    const candidates = byGroup.get(key) ?? [];
    let incident = candidates.find((c) => withinWindow(c, at, place.mergeWindowMs));
    if (incident) {
      incident.eventCount += 1;
      incident.confidence = Math.max(incident.confidence, event.confidence);
      incident.severity = maxSeverity(incident.severity, event.severity);
      if (at > incident.lastEventAt.getTime()) incident.lastEventAt = new Date(at);
      if (at < incident.openedAt.getTime()) incident.openedAt = new Date(at);
      incident.touched = true;
    } else {
      incident = {
        id: newId('incident', at),
        storeId: place.storeId,
        regionId: place.regionId,
        laneId: event.laneId ?? place.laneId,
        cameraId: event.cameraId,
        type: event.type,
        severity: event.severity,
        confidence: event.confidence,
        eventCount: 1,
        openedAt: new Date(at),
        lastEventAt: new Date(at),
        programId,
        shadow: programId !== null && programModes.get(programId) === 'shadow',
        isNew: true,
        touched: true,
      };
      byGroup.set(key, [...candidates, incident]);
    }
    assignment.set(event.id, incident);
  }
  const incidents = [...byGroup.values()].flat().filter((i) => i.touched);
  return { assignment, incidents };
}
