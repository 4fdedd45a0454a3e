import { z } from 'zod';
import { AppError, idSchema } from '../../../contracts/index.js';
import { ApiToken, ServiceIdentity } from '../../../models/index.js';
import { createServiceIdentity, rotateServiceToken, updateServiceIdentity } from '../../commands/service-identity-manager.js';
import { recordOf, whereAllowed } from '../../../policies/index.js';
import { authorize, authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { pageQuery, pageSchema, paginate, presentPage } from '../pagination.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';

const tag = 'Service identities';
const identitySchema = z.object({ id: z.string(), name: z.string(), environment: z.string(), storeIds: z.array(z.string()), disabledAt: z.string().nullable(), createdAt: z.string(), tokens: z.array(z.object({ id: z.string(), displayPrefix: z.string(), expiresAt: z.string().nullable(), revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })).optional() });
const params = z.strictObject({ id: idSchema('service') });

const present = (s: ServiceIdentity, tokens?: ApiToken[]) => ({
  id: s.id, name: s.name, environment: s.environment, storeIds: s.storeIds, disabledAt: s.disabledAt?.toISOString() ?? null, createdAt: s.createdAt.toISOString(),
  ...(tokens ? { tokens: tokens.map((t) => ({ id: t.id, displayPrefix: t.displayPrefix, expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null })) } : {}),
});

/** Loads an identity and checks the action on it, so a rule's conditions (id, name) are honoured. */
async function load(ctx: RequestContext, id: string, action: 'read' | 'update'): Promise<ServiceIdentity> {
  authorizeType(ctx, action, 'ServiceIdentity');
  const identity = orNotFound(await ServiceIdentity.forTenant(ctx.trx, ctx.principal.tenantId).where('service_identities.environment', ctx.principal.environment).findOne('service_identities.id', id).forUpdate(), 'service identity');
  authorize(ctx, action, 'ServiceIdentity', { id: identity.id, name: identity.name });
  return identity;
}

export const serviceIdentityRoutes = [
  defineRoute({
    method: 'post', path: '/v1/service-identities', operationId: 'createServiceIdentity', summary: 'Register a plugin installation (svc_) bound to stores; its first token is shown once', tag,
    body: z.strictObject({ name: z.string().trim().min(1).max(200), storeIds: z.array(idSchema('store')).min(1).max(1000) }),
    responses: { 201: { description: 'The identity and its token', schema: identitySchema.extend({ token: z.string(), tokenId: z.string() }) } },
    handler: async ({ body }, ctx) => {
      if (!ctx.ability.can('create', recordOf('ServiceIdentity', { name: body.name }))) throw new AppError('forbidden', 'your role may not register this service identity');
      const created = await createServiceIdentity(commandContext(ctx), body);
      return { status: 201, body: { ...present(created.identity), token: created.token, tokenId: created.tokenId } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/service-identities', operationId: 'listServiceIdentities', summary: 'List service identities', tag,
    query: z.strictObject({ ...pageQuery }),
    responses: { 200: { description: 'A page', schema: pageSchema(identitySchema) } },
    handler: async ({ query }, ctx) => {
      authorizeType(ctx, 'read', 'ServiceIdentity');
      const page = await paginate<ServiceIdentity>(whereAllowed(ServiceIdentity.forTenant(ctx.trx, ctx.principal.tenantId).where('service_identities.environment', ctx.principal.environment), ctx.ability, 'read', 'ServiceIdentity', 'service_identities'), 'service_identities', query);
      return { status: 200, body: presentPage(page, (s) => present(s)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/service-identities/:id', operationId: 'getServiceIdentity', summary: 'A service identity with its tokens (never the secrets)', tag,
    params,
    responses: { 200: { description: 'The identity', schema: identitySchema } },
    handler: async ({ params }, ctx) => {
      const identity = await load(ctx, params.id, 'read');
      const tokens = await ApiToken.forTenant(ctx.trx, ctx.principal.tenantId).where('principal_id', identity.id).orderBy('id');
      return { status: 200, body: present(identity, tokens) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/service-identities/:id', operationId: 'updateServiceIdentity', summary: 'Change its stores, or disable it (revokes its tokens at once)', tag,
    params, body: z.strictObject({ storeIds: z.array(idSchema('store')).min(1).max(1000).optional(), disabled: z.boolean().optional() }),
    responses: { 200: { description: 'The identity', schema: identitySchema } },
    handler: async ({ params, body }, ctx) => {
      const updated = await updateServiceIdentity(commandContext(ctx), await load(ctx, params.id, 'update'), body);
      return { status: 200, body: present(updated) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/service-identities/:id/rotate', operationId: 'rotateServiceToken', summary: 'Mint a new token; the old ones stay valid for the grace period', tag,
    params, body: z.strictObject({ graceSeconds: z.number().int().min(0).max(30 * 86400).default(86400) }),
    responses: { 201: { description: 'The new token, shown once', schema: z.object({ token: z.string(), tokenId: z.string(), previousValidUntil: z.string() }) } },
    handler: async ({ params, body }, ctx) => {
      const rotated = await rotateServiceToken(commandContext(ctx), await load(ctx, params.id, 'update'), body.graceSeconds);
      return { status: 201, body: { token: rotated.token, tokenId: rotated.tokenId, previousValidUntil: rotated.previousValidUntil.toISOString() } };
    },
  }),
];
