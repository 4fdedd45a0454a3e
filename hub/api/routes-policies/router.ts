import { z } from 'zod';
import { AppError, newId } from '../../../contracts/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { writeAudit } from '../../audit/index.js';
import { authorize, authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../pagination.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentRoute, routeSubject, type RouteRow } from './presenter.js';
import { createRouteBody, routeSchema, updateRouteBody } from './schema.js';

const tag = 'Routing policies';

const COLUMNS: Record<string, string> = {
  name: 'name', regionId: 'region_id', storeId: 'store_id', incidentTypes: 'incident_types', severities: 'severities', endpointIds: 'endpoint_ids',
  quietHours: 'quiet_hours', cooldownSeconds: 'cooldown_seconds', escalateAfterMinutes: 'escalate_after_minutes',
  escalationEndpointIds: 'escalation_endpoint_ids', enabled: 'enabled',
};

function toColumns(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const column = COLUMNS[key];
    if (column && value !== undefined) out[column] = key === 'quietHours' && value !== null ? JSON.stringify(value) : value;
  }
  return out;
}

/** Scope and destinations must exist in the caller's tenant (an id of another tenant is simply unknown). */
async function checkReferences(ctx: RequestContext, body: Record<string, unknown>): Promise<string | null> {
  const tenant = ctx.principal.tenantId;
  if (typeof body.regionId === 'string') orNotFound(await ctx.trx('regions').where({ tenant_id: tenant, id: body.regionId }).first(), `region ${body.regionId}`);
  let storeRegion: string | null = null;
  if (typeof body.storeId === 'string') {
    const store = orNotFound(await ctx.trx('stores').where({ tenant_id: tenant, id: body.storeId }).first(), `store ${body.storeId}`) as { region_id: string };
    storeRegion = store.region_id;
  }
  const ids = [...((body.endpointIds as string[] | undefined) ?? []), ...((body.escalationEndpointIds as string[] | undefined) ?? [])];
  if (ids.length > 0) {
    const found = (await ctx.trx('webhook_endpoints').where({ tenant_id: tenant }).whereIn('id', ids).pluck('id')) as string[];
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new AppError('validation_failed', `unknown webhook endpoints: ${missing.join(', ')}`, { details: { missing } });
  }
  return storeRegion;
}

async function storeRegionOf(ctx: RequestContext, row: RouteRow): Promise<string | null> {
  if (!row.store_id) return null;
  const store = (await ctx.trx('stores').where({ tenant_id: ctx.principal.tenantId, id: row.store_id }).first()) as { region_id: string } | undefined;
  return store?.region_id ?? null;
}

async function loadRoute(ctx: RequestContext, id: string, lock = false): Promise<RouteRow> {
  const qb = ctx.trx('routing_policies').where({ tenant_id: ctx.principal.tenantId, id }).first();
  const row = orNotFound((await (lock ? qb.forUpdate() : qb)) as RouteRow | undefined, 'routing policy');
  authorize(ctx, 'read', 'RoutingPolicy', routeSubject(row, await storeRegionOf(ctx, row)));
  return row;
}

export const routingPolicyRoutes = [
  defineRoute({
    method: 'post', path: '/v1/routes', operationId: 'createRoute', summary: 'Create a routing policy (which incidents go where, when)', tag,
    body: createRouteBody,
    responses: { 201: { description: 'Created', schema: routeSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'RoutingPolicy');
      await checkReferences(ctx, body);
      const [row] = (await ctx.trx('routing_policies').insert({ tenant_id: ctx.principal.tenantId, id: newId('policy'), ...toColumns(body) }).returning('*')) as RouteRow[];
      if (!row) throw new Error('insert returned no row');
      await writeAudit(commandContext(ctx), { action: 'routing_policy.created', subjectType: 'RoutingPolicy', subjectId: row.id, after: presentRoute(row) });
      return { status: 201, body: presentRoute(row) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/routes', operationId: 'listRoutes', summary: 'List routing policies', tag,
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of policies', schema: pageSchema(routeSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = ctx.trx('routing_policies').where({ tenant_id: ctx.principal.tenantId });
      whereAllowed(qb, ctx.ability, 'read', 'RoutingPolicy', 'routing_policies');
      if (query.cursor) void qb.where('id', '<', decodeCursor(query.cursor));
      const rows = (await qb.orderBy('id', 'desc').limit(query.limit + 1)) as RouteRow[];
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const last = page[page.length - 1];
      return { status: 200, body: { data: page.map(presentRoute), nextCursor: more && last ? encodeCursor(last.id) : null } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/routes/:id', operationId: 'getRoute', summary: 'Get a routing policy', tag,
    params: idParams('policy'),
    responses: { 200: { description: 'The policy', schema: routeSchema } },
    handler: async ({ params }, ctx) => ({ status: 200, body: presentRoute(await loadRoute(ctx, params.id)) }),
  }),
  defineRoute({
    method: 'patch', path: '/v1/routes/:id', operationId: 'updateRoute', summary: 'Change a routing policy', tag,
    params: idParams('policy'), body: updateRouteBody,
    responses: { 200: { description: 'The policy', schema: routeSchema } },
    handler: async ({ params, body }, ctx) => {
      const before = await loadRoute(ctx, params.id, true);
      authorize(ctx, 'update', 'RoutingPolicy', routeSubject(before, await storeRegionOf(ctx, before)));
      await checkReferences(ctx, body);
      const [row] = (await ctx.trx('routing_policies').where({ tenant_id: ctx.principal.tenantId, id: params.id })
        .update({ ...toColumns(body), updated_at: new Date() }).returning('*')) as RouteRow[];
      if (!row) throw new AppError('not_found', 'routing policy not found');
      await writeAudit(commandContext(ctx), { action: 'routing_policy.updated', subjectType: 'RoutingPolicy', subjectId: row.id, before: presentRoute(before), after: presentRoute(row) });
      return { status: 200, body: presentRoute(row) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/routes/:id', operationId: 'deleteRoute', summary: 'Delete a routing policy', tag,
    params: idParams('policy'),
    responses: { 204: { description: 'Deleted' } },
    handler: async ({ params }, ctx) => {
      const before = await loadRoute(ctx, params.id, true);
      authorize(ctx, 'delete', 'RoutingPolicy', routeSubject(before, await storeRegionOf(ctx, before)));
      await ctx.trx('routing_escalations').where({ tenant_id: ctx.principal.tenantId, policy_id: params.id }).whereNull('done_at').delete();
      await ctx.trx('routing_cooldowns').where({ tenant_id: ctx.principal.tenantId, policy_id: params.id }).delete();
      await ctx.trx('routing_policies').where({ tenant_id: ctx.principal.tenantId, id: params.id }).delete();
      await writeAudit(commandContext(ctx), { action: 'routing_policy.deleted', subjectType: 'RoutingPolicy', subjectId: params.id, before: presentRoute(before) });
      return { status: 204 };
    },
  }),
];
