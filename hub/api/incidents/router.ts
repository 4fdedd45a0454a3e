import { z } from 'zod';
import { newId, transitionBodySchema } from '../../../contracts/index.js';
import { Incident, IncidentComment, IncidentTransition } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { writeAudit } from '../../audit/index.js';
import { transitionIncident } from '../../commands/incident-transitioner.js';
import { authorize, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { refuseHiddenFilters, visibleFields } from '../field-filter.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentComment, presentIncident, presentTransition, transitionsFor } from './presenter.js';
import { commentBody, commentSchema, incidentSchema, listIncidentsQuery, transitionSchema } from './schema.js';

const tag = 'Incidents';

async function loadIncident(ctx: RequestContext, id: string, lock = false): Promise<Incident> {
  const qb = Incident.forTenant(ctx.trx, ctx.principal.tenantId).findOne('incidents.id', id);
  const incident = orNotFound(await (lock ? qb.forUpdate() : qb), 'incident');
  authorize(ctx, 'read', 'Incident', incident);
  return incident;
}

const FILTER_COLUMNS = { storeId: 'store_id', regionId: 'region_id', laneId: 'lane_id', cameraId: 'camera_id', type: 'type', state: 'state', severity: 'severity' } as const;

export const incidentRoutes = [
  defineRoute({
    method: 'get', path: '/v1/incidents', operationId: 'listIncidents', summary: 'List incidents (filtered by what the caller may see, in SQL)', tag,
    query: listIncidentsQuery,
    responses: { 200: { description: 'A page of incidents, newest first', schema: pageSchema(incidentSchema) } },
    handler: async ({ query }, ctx) => {
      refuseHiddenFilters(ctx, 'Incident', query, Object.keys(FILTER_COLUMNS));
      const qb = Incident.forTenant(ctx.trx, ctx.principal.tenantId);
      for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
        const value = query[key as keyof typeof FILTER_COLUMNS];
        if (value !== undefined) void qb.where(`incidents.${column}`, value);
      }
      if (query.from) void qb.where('incidents.last_event_at', '>=', new Date(query.from));
      if (query.to) void qb.where('incidents.opened_at', '<', new Date(query.to));
      whereAllowed(qb, ctx.ability, 'read', 'Incident', 'incidents');
      const page = await paginate<Incident>(qb, 'incidents', query);
      return { status: 200, body: { data: page.rows.map((row) => visibleFields(ctx, 'Incident', row, presentIncident(row, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, row)))), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:id', operationId: 'getIncident', summary: 'Get an incident', tag,
    params: idParams('incident'),
    responses: { 200: { description: 'The incident', schema: incidentSchema } },
    handler: async ({ params }, ctx) => {
      const incident = await loadIncident(ctx, params.id);
      return { status: 200, body: visibleFields(ctx, 'Incident', incident, presentIncident(incident, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, incident))) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/incidents/:id/transitions', operationId: 'transitionIncident', tag,
    summary: 'Move an incident along the review workflow (409 with the allowed next states when illegal)',
    params: idParams('incident'), body: transitionBodySchema,
    responses: { 200: { description: 'The incident after the transition', schema: incidentSchema } },
    handler: async ({ params, body }, ctx) => {
      const incident = await loadIncident(ctx, params.id, true);
      authorize(ctx, 'transition', 'Incident', incident);
      const result = await transitionIncident(commandContext(ctx), ctx.principal.role, incident, body);
      return { status: 200, body: visibleFields(ctx, 'Incident', result.incident, presentIncident(result.incident, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, result.incident))) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:id/transitions', operationId: 'listIncidentTransitions', summary: 'The incident\'s workflow history', tag,
    params: idParams('incident'),
    responses: { 200: { description: 'Transitions, oldest first', schema: z.object({ data: z.array(transitionSchema) }) } },
    handler: async ({ params }, ctx) => {
      await loadIncident(ctx, params.id);
      const rows = await IncidentTransition.forTenant(ctx.trx, ctx.principal.tenantId).where('incident_id', params.id).orderBy('id');
      return { status: 200, body: { data: rows.map(presentTransition) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/incidents/:id/comments', operationId: 'commentIncident', summary: 'Comment on an incident', tag,
    params: idParams('incident'), body: commentBody,
    responses: { 201: { description: 'The comment', schema: commentSchema } },
    handler: async ({ params, body }, ctx) => {
      const incident = await loadIncident(ctx, params.id);
      authorize(ctx, 'comment', 'Incident', incident);
      const comment = await IncidentComment.query(ctx.trx).insertAndFetch({
        tenantId: ctx.principal.tenantId, id: newId('comment'), incidentId: incident.id, authorId: ctx.principal.principalId, body: body.body, at: new Date(),
      });
      await writeAudit(commandContext(ctx), { action: 'incident.commented', subjectType: 'Incident', subjectId: incident.id, after: { commentId: comment.id, body: body.body } });
      return { status: 201, body: presentComment(comment) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:id/comments', operationId: 'listIncidentComments', summary: 'Comments on an incident', tag,
    params: idParams('incident'),
    responses: { 200: { description: 'Comments, oldest first', schema: z.object({ data: z.array(commentSchema) }) } },
    handler: async ({ params }, ctx) => {
      await loadIncident(ctx, params.id);
      const rows = await IncidentComment.forTenant(ctx.trx, ctx.principal.tenantId).where('incident_id', params.id).orderBy('id');
      return { status: 200, body: { data: rows.map(presentComment) } };
    },
  }),
];
