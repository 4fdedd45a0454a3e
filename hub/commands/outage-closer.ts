import { OPEN_STATES, newId, type DetectionEvent } from '../../contracts/index.js';
import { Incident, IncidentTransition } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { enqueueIncidentMessage } from '../webhooks/index.js';

/** A camera_health event that says the camera is back (streaming or degraded), as opposed to one that opens an outage. */
export function isCameraRecovery(event: DetectionEvent): boolean {
  return event.type === 'camera_health' && event.attributes.state !== 'offline';
}

/**
 * A camera that comes back closes its outage: the open camera_health incident of that camera, opened before the
 * recovery, is resolved by the system (no review needed for the system's own health incident), with a transition,
 * an audit record and an `incident.resolved` message. A recovery with no open outage opens nothing.
 * Returns the incident each recovery event belongs to.
 */
export async function closeRecoveredOutages(ctx: CommandContext, recoveries: readonly DetectionEvent[]): Promise<Map<string, string>> {
  const closedBy = new Map<string, string>();
  const ordered = [...recoveries].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  for (const event of ordered) {
    const at = new Date(event.occurredAt);
    const outages = await Incident.forTenant(ctx.trx, ctx.tenantId)
      .where({ 'incidents.camera_id': event.cameraId, 'incidents.type': 'camera_health' })
      .whereIn('incidents.state', [...OPEN_STATES]).where('incidents.opened_at', '<=', at).forUpdate();
    for (const outage of outages) await resolveOutage(ctx, outage, event, at);
    const [last] = outages.slice(-1);
    if (last !== undefined) closedBy.set(event.id, last.id);
  }
  return closedBy;
}

async function resolveOutage(ctx: CommandContext, outage: Incident, event: DetectionEvent, at: Date): Promise<void> {
  const outcome = { result: 'no_loss' as const, recoveredValue: 0, notes: `camera back (${String(event.attributes.state)}) at ${event.occurredAt}` };
  const lastEventAt = at > outage.lastEventAt ? at : outage.lastEventAt;
  const updated = await Incident.query(ctx.trx).patchAndFetchById([ctx.tenantId, outage.id], {
    state: 'resolved', version: outage.version + 1, outcome, eventCount: outage.eventCount + 1, lastEventAt, updatedAt: new Date(),
  });
  await IncidentTransition.query(ctx.trx).insert({
    tenantId: ctx.tenantId, id: newId('transition'), incidentId: outage.id, action: 'resolved', fromState: outage.state, toState: 'resolved',
    actorId: ctx.actor.id, reason: 'the camera recovered', outcome, at: new Date(),
  });
  await writeAudit(ctx, {
    action: 'incident.resolved', subjectType: 'Incident', subjectId: outage.id,
    before: { state: outage.state, version: outage.version }, after: { state: 'resolved', version: updated.version, outcome, recoveryEventId: event.id },
  });
  await enqueueIncidentMessage(ctx, updated, 'incident.resolved');
}
