import { z } from 'zod';
import { RoutingPolicyRow } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import {
  createRoutingPolicy, deleteRoutingPolicy, loadRoutingPolicy, storeRegionOf, updateRoutingPolicy,
} from '../../commands/routing-policy-editor.js';
import { authorize, authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../pagination.js';
import { defineRoute, type AnyRouteSpec } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentRoute, routeSubject } from './presenter.js';
import { createRouteBody, routeSchema, routingPolicyParams, updateRouteBody } from './schema.js';

const tag = 'Routing policies';

/** Loads a policy and checks the caller may act on it (read, update or delete) in its scope. */
async function authorized(ctx: RequestContext, id: string, action: 'read' | 'update' | 'delete'): Promise<RoutingPolicyRow> {
  const scope = { trx: ctx.trx, tenantId: ctx.principal.tenantId };
  const policy = await loadRoutingPolicy(scope, id, action !== 'read');
  const subject = routeSubject(policy, await storeRegionOf(scope, policy.storeId));
  authorize(ctx, 'read', 'RoutingPolicy', subject);
  if (action !== 'read') authorize(ctx, action, 'RoutingPolicy', subject);
  return policy;
}

interface Surface {
  base: string;
  ids: { create: string; list: string; get: string; update: string; delete: string };
  deprecated: boolean;
}

const CURRENT: Surface = {
  base: '/v1/routing-policies', deprecated: false,
  ids: { create: 'createRoutingPolicy', list: 'listRoutingPolicies', get: 'getRoutingPolicy', update: 'updateRoutingPolicy', delete: 'deleteRoutingPolicy' },
};
// The old path, kept for one release with the same handlers; the OpenAPI document marks it deprecated.
const ALIAS: Surface = {
  base: '/v1/routes', deprecated: true,
  ids: { create: 'createRoute', list: 'listRoutes', get: 'getRoute', update: 'updateRoute', delete: 'deleteRoute' },
};

function routesAt({ base, ids, deprecated }: Surface): AnyRouteSpec[] {
  const note = deprecated ? ' (deprecated: use /v1/routing-policies)' : '';
  return [
    defineRoute({
      method: 'post', path: base, operationId: ids.create, summary: `Create a routing policy (which incidents go where, when)${note}`, tag, deprecated,
      body: createRouteBody,
      responses: { 201: { description: 'Created', schema: routeSchema } },
      handler: async ({ body }, ctx) => {
        authorizeType(ctx, 'create', 'RoutingPolicy');
        return { status: 201, body: presentRoute(await createRoutingPolicy(commandContext(ctx), body)) };
      },
    }),
    defineRoute({
      method: 'get', path: base, operationId: ids.list, summary: `List routing policies${note}`, tag, deprecated,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of policies', schema: pageSchema(routeSchema) } },
      handler: async ({ query }, ctx) => {
        const qb = RoutingPolicyRow.forTenant(ctx.trx, ctx.principal.tenantId);
        whereAllowed(qb, ctx.ability, 'read', 'RoutingPolicy', 'routing_policies');
        if (query.cursor) void qb.where('id', '<', decodeCursor(query.cursor));
        const rows = await qb.orderBy('id', 'desc').limit(query.limit + 1);
        const more = rows.length > query.limit;
        const page = more ? rows.slice(0, query.limit) : rows;
        const last = page[page.length - 1];
        return { status: 200, body: { data: page.map(presentRoute), nextCursor: more && last ? encodeCursor(last.id) : null } };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:id`, operationId: ids.get, summary: `Get a routing policy${note}`, tag, deprecated,
      params: routingPolicyParams,
      responses: { 200: { description: 'The policy', schema: routeSchema } },
      handler: async ({ params }, ctx) => ({ status: 200, body: presentRoute(await authorized(ctx, params.id, 'read')) }),
    }),
    defineRoute({
      method: 'patch', path: `${base}/:id`, operationId: ids.update, summary: `Change a routing policy${note}`, tag, deprecated,
      params: routingPolicyParams, body: updateRouteBody,
      responses: { 200: { description: 'The policy', schema: routeSchema } },
      handler: async ({ params, body }, ctx) => {
        const before = await authorized(ctx, params.id, 'update');
        return { status: 200, body: presentRoute(await updateRoutingPolicy(commandContext(ctx), before, body)) };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/:id`, operationId: ids.delete, summary: `Delete a routing policy${note}`, tag, deprecated,
      params: routingPolicyParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ params }, ctx) => {
        await deleteRoutingPolicy(commandContext(ctx), await authorized(ctx, params.id, 'delete'));
        return { status: 204 };
      },
    }),
  ];
}

export const routingPolicyRoutes = [...routesAt(CURRENT), ...routesAt(ALIAS)];
