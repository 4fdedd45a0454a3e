import { newId } from '../../contracts/index.js';
import { IncidentComment, type Incident } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';

/** Adds a comment to an incident (already authorized) and audits it. */
export async function commentOnIncident(ctx: CommandContext, incident: Incident, body: string): Promise<IncidentComment> {
  const now = nowOf(ctx);
  const comment = await IncidentComment.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId, id: newId('comment', now.getTime()), incidentId: incident.id, authorId: ctx.actor.id, body, at: now,
  });
  await writeAudit(ctx, { action: 'incident.commented', subjectType: 'Incident', subjectId: incident.id, after: { commentId: comment.id, body } });
  return comment;
}
