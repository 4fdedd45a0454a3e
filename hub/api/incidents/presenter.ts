import { TRANSITIONS, allowedTargets, type IncidentState, type Outcome, type TransitionTarget } from '../../../contracts/index.js';
import type { DetectionEventRow, Incident, IncidentComment, IncidentTransition } from '../../../models/index.js';
import { recordOf, type AppAbility, type Role } from '../../../policies/index.js';
import { REVIEWER_ROLES } from '../../commands/incident-transitioner.js';

/** The moves this caller may make: none without the transition permission, overrides for reviewers only. */
export function transitionsFor(caller: { ability: AppAbility; role: Role }, i: Incident): TransitionTarget[] {
  if (!caller.ability.can('transition', recordOf('Incident', { ...i }))) return [];
  return allowedTargets(i.state as IncidentState).filter((target) => !TRANSITIONS[target].override || REVIEWER_ROLES.includes(caller.role));
}

export const presentIncident = (i: Incident, allowedTransitions: TransitionTarget[]) => ({
  id: i.id,
  storeId: i.storeId,
  regionId: i.regionId,
  laneId: i.laneId,
  cameraId: i.cameraId,
  type: i.type,
  severity: i.severity,
  state: i.state,
  assigneeId: i.assigneeId,
  confidence: i.confidence,
  eventCount: i.eventCount,
  openedAt: i.openedAt.toISOString(),
  lastEventAt: i.lastEventAt.toISOString(),
  dismissReason: i.dismissReason,
  programId: i.programId,
  shadow: i.shadow,
  outcome: i.outcome as Outcome | null,
  version: i.version,
  allowedTransitions,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
});

export const presentTransition = (t: IncidentTransition) => ({
  id: t.id,
  action: t.action,
  fromState: t.fromState,
  toState: t.toState,
  actorId: t.actorId,
  reason: t.reason,
  outcome: t.outcome as Outcome | null,
  at: t.at.toISOString(),
});

export const presentComment = (c: IncidentComment) => ({ id: c.id, authorId: c.authorId, body: c.body, at: c.at.toISOString() });

interface StoredDetection { label: string; score: number; box: [number, number, number, number]; trackId?: number }

/** A detection event as the incident page draws it: when, what rule, and the boxes (normalised 0..1). */
export function presentEvent(e: DetectionEventRow) {
  const payload = e.payload as { rule?: { name: string; version?: string }; zone?: string; detections?: StoredDetection[] };
  return {
    id: e.id, occurredAt: e.occurredAt.toISOString(), type: e.type, severity: e.severity, confidence: e.confidence, cameraId: e.cameraId, laneId: e.laneId,
    rule: payload.rule ?? null, zone: payload.zone ?? null,
    detections: (payload.detections ?? []).map((d) => ({ label: d.label, score: d.score, box: d.box, ...(d.trackId === undefined ? {} : { trackId: d.trackId }) })),
  };
}
