import { z } from 'zod';
import { AppError, transitionBodySchema } from '../../../contracts/index.js';
import { DetectionEventRow, Incident, IncidentComment, IncidentTransition } from '../../../models/index.js';
import { recordOf, whereAllowed, type Action } from '../../../policies/index.js';
import { commentOnIncident } from '../../commands/incident-commenter.js';
import { transitionIncident } from '../../commands/incident-transitioner.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate, presentPage } from '../pagination.js';
import { loadAuthorized } from '../resource-routes.js';
import { refuseHiddenFilters, visibleFields } from '../field-filter.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentComment, presentEvent, presentIncident, presentTransition, transitionsFor } from './presenter.js';
import { paginateBySeverity } from './severity-order.js';
import { commentBody, commentSchema, incidentDetailSchema, incidentEventSchema, incidentSchema, listIncidentsQuery, transitionSchema } from './schema.js';
import { incidentPos } from '../pos/transactions-router.js';

const tag = 'Incidents';

/** Loads an incident the caller may act on (404 when unreadable, 403 when readable only), locked unless only read. */
const loadIncident = (ctx: RequestContext, id: string, action: Action = 'read'): Promise<Incident> => loadAuthorized<Incident>(ctx, Incident, 'Incident', id, action, 'incident');

/** A read-only list of one incident's history (transitions, comments), oldest first. */
function historyRoute<M>(spec: {
  segment: string; operationId: string; summary: string; description: string; schema: z.ZodType; present: (row: M) => unknown;
  rows: (ctx: RequestContext, incidentId: string) => PromiseLike<M[]>;
}) {
  return defineRoute({
    method: 'get', path: `/v1/incidents/:id/${spec.segment}`, operationId: spec.operationId, summary: spec.summary, tag,
    params: idParams('incident'),
    responses: { 200: { description: spec.description, schema: z.object({ data: z.array(spec.schema) }) } },
    handler: async ({ params }, ctx) => {
      await loadIncident(ctx, params.id);
      const rows = await spec.rows(ctx, params.id);
      return { status: 200, body: { data: rows.map((row) => spec.present(row)) } };
    },
  });
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
      if (query.eventId) void qb.whereRaw('incidents.id IN (SELECT incident_id FROM detection_events WHERE tenant_id = ? AND id = ?)', [ctx.principal.tenantId, query.eventId]);
      whereAllowed(qb, ctx.ability, 'read', 'Incident', 'incidents');
      const page = query.sort === 'severity' ? await paginateBySeverity(qb, query) : await paginate<Incident>(qb, 'incidents', query);
      return { status: 200, body: presentPage(page, (row) => visibleFields(ctx, 'Incident', row, presentIncident(row, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, row)))) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:id', operationId: 'getIncident', summary: 'Get an incident', tag,
    params: idParams('incident'),
    responses: { 200: { description: 'The incident, with the POS transactions linked to it', schema: incidentDetailSchema } },
    handler: async ({ params }, ctx) => {
      const incident = await loadIncident(ctx, params.id);
      const presented = { ...presentIncident(incident, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, incident)), pos: await incidentPos(ctx, incident.id) };
      return { status: 200, body: visibleFields(ctx, 'Incident', incident, presented) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/incidents/:id/transitions', operationId: 'transitionIncident', tag,
    summary: 'Move an incident along the review workflow (409 with the allowed next states when illegal)',
    params: idParams('incident'), body: transitionBodySchema,
    responses: { 200: { description: 'The incident after the transition', schema: incidentSchema } },
    handler: async ({ params, body }, ctx) => {
      const incident = await loadIncident(ctx, params.id, 'transition');
      const result = await transitionIncident(commandContext(ctx), ctx.principal.role, incident, body);
      return { status: 200, body: visibleFields(ctx, 'Incident', result.incident, presentIncident(result.incident, transitionsFor({ ability: ctx.ability, role: ctx.principal.role }, result.incident))) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:id/events', operationId: 'listIncidentEvents', summary: 'The detection events of an incident with their boxes, oldest first (needs read on Event)', tag,
    params: idParams('incident'),
    responses: { 200: { description: 'Events, oldest first (at most 500)', schema: z.object({ data: z.array(incidentEventSchema) }) } },
    handler: async ({ params }, ctx) => {
      const incident = await loadIncident(ctx, params.id);
      // The incident is readable here, so a role without read on its events learns nothing new from a 403.
      if (!ctx.ability.can('read', recordOf('Event', { storeId: incident.storeId, regionId: incident.regionId, cameraId: incident.cameraId, laneId: incident.laneId }))) {
        throw new AppError('forbidden', 'your role may not read detection events');
      }
      const rows = await DetectionEventRow.forTenant(ctx.trx, ctx.principal.tenantId).where('detection_events.incident_id', incident.id)
        .orderBy('detection_events.occurred_at').orderBy('detection_events.id').limit(500);
      return { status: 200, body: { data: rows.map(presentEvent) } };
    },
  }),
  historyRoute({ segment: 'transitions', operationId: 'listIncidentTransitions', summary: 'The incident\'s workflow history', description: 'Transitions, oldest first', schema: transitionSchema, present: presentTransition,
    rows: (ctx, id) => IncidentTransition.forTenant(ctx.trx, ctx.principal.tenantId).where('incident_id', id).orderBy('id') }),
  defineRoute({
    method: 'post', path: '/v1/incidents/:id/comments', operationId: 'commentIncident', summary: 'Comment on an incident', tag,
    params: idParams('incident'), body: commentBody,
    responses: { 201: { description: 'The comment', schema: commentSchema } },
    handler: async ({ params, body }, ctx) => {
      const incident = await loadIncident(ctx, params.id, 'comment');
      const comment = await commentOnIncident(commandContext(ctx), incident, body.body);
      return { status: 201, body: presentComment(comment) };
    },
  }),
  historyRoute({ segment: 'comments', operationId: 'listIncidentComments', summary: 'Comments on an incident', description: 'Comments, oldest first', schema: commentSchema, present: presentComment,
    rows: (ctx, id) => IncidentComment.forTenant(ctx.trx, ctx.principal.tenantId).where('incident_id', id).orderBy('id') }),
];
