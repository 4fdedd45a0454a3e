import { TRANSITIONS, allowedTargets, type IncidentState, type Outcome, type TransitionTarget } from '../../../contracts/index.js';
import type { Incident, IncidentComment, IncidentTransition } from '../../../models/index.js';
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
