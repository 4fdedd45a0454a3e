import {
  AppError,
  TRANSITIONS,
  allowedTargets,
  landingState,
  newId,
  type IncidentState,
  type TransitionBody,
} from '../../contracts/index.js';
import { Incident, IncidentTransition } from '../../models/index.js';
import type { Role } from '../../policies/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { enqueueIncidentMessage } from '../webhooks/index.js';

/** The roles that may take an override transition (reopen a closed decision). */
export const REVIEWER_ROLES: readonly Role[] = ['central_reviewer', 'lp_admin', 'regional_manager'];

function checkRequirements(body: TransitionBody, role: Role): void {
  const rule = TRANSITIONS[body.to];
  if (rule.needs === 'reason' && !body.reason) throw new AppError('validation_failed', `moving to ${body.to} needs a reason`);
  if (rule.needs === 'outcome' && !body.outcome) throw new AppError('validation_failed', 'resolving needs an outcome: result, recoveredValue and notes');
  if (rule.override && !REVIEWER_ROLES.includes(role)) throw new AppError('forbidden', 'only a reviewer may reopen a closed incident');
}

/**
 * Moves an incident (already loaded FOR UPDATE and authorized) along the workflow, records the transition
 * and its audit record. An illegal move answers 409 with the states that are allowed next.
 */
export async function transitionIncident(ctx: CommandContext, role: Role, incident: Incident, body: TransitionBody): Promise<{ incident: Incident; transition: IncidentTransition }> {
  const from = incident.state as IncidentState;
  const allowed = allowedTargets(from);
  if (!allowed.includes(body.to)) {
    throw new AppError('illegal_transition', `an incident in state ${from} cannot move to ${body.to}`, { details: { state: from, allowed } });
  }
  if (body.expectedVersion !== undefined && body.expectedVersion !== incident.version) {
    throw new AppError('conflict', `the incident changed meanwhile (version ${incident.version}, expected ${body.expectedVersion})`, { details: { version: incident.version } });
  }
  checkRequirements(body, role);
  const to = landingState(body.to);
  const now = new Date();
  const patch: Record<string, unknown> = { state: to, version: incident.version + 1, updatedAt: now };
  if (body.to === 'acknowledged') patch.assigneeId = ctx.actor.id;
  if (body.to === 'dismissed') patch.dismissReason = body.reason;
  if (body.to === 'resolved') patch.outcome = body.outcome;
  if (body.to === 'reopened') Object.assign(patch, { outcome: null, dismissReason: null });
  const updated = await Incident.query(ctx.trx).patchAndFetchById([ctx.tenantId, incident.id], patch);
  const transition = await IncidentTransition.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId,
    id: newId('transition'),
    incidentId: incident.id,
    action: body.to,
    fromState: from,
    toState: to,
    actorId: ctx.actor.id,
    reason: body.reason ?? null,
    outcome: body.outcome ?? null,
    at: now,
  });
  await writeAudit(ctx, {
    action: `incident.${body.to}`,
    subjectType: 'Incident',
    subjectId: incident.id,
    before: { state: from, version: incident.version },
    after: { state: to, version: updated.version, reason: body.reason ?? null, outcome: body.outcome ?? null },
  });
  await enqueueIncidentMessage(ctx, updated, to === 'resolved' ? 'incident.resolved' : 'incident.updated');
  return { incident: updated, transition };
}
