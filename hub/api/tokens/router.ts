import { subject as caslSubject } from '@casl/ability';
import { z } from 'zod';
import { AppError, idSchema, isoDateTime } from '../../../contracts/index.js';
import { ApiToken, Region, Store } from '../../../models/index.js';
import type { RequestContext } from '../state.js';
import { ROLES, whereAllowed } from '../../../policies/index.js';
import { writeAudit } from '../../audit/index.js';
import { mintApiToken } from '../../auth/api-tokens.js';
import { authorize, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { pageQuery, pageSchema, paginate } from '../pagination.js';
import { defineRoute } from '../route.js';

const tag = 'Tokens';

/** A token may only be scoped to stores and regions of the caller's own tenant. */
async function requireScope(ctx: RequestContext, storeIds: string[], regionIds: string[]): Promise<void> {
  const stores = storeIds.length ? await Store.forTenant(ctx.trx, ctx.principal.tenantId).whereIn('stores.id', storeIds).select('id') : [];
  const regions = regionIds.length ? await Region.forTenant(ctx.trx, ctx.principal.tenantId).whereIn('regions.id', regionIds).select('id') : [];
  if (stores.length !== storeIds.length || regions.length !== regionIds.length) throw new AppError('not_found', 'a store or region of this scope was not found');
}

const tokenSchema = z.object({
  id: z.string(), name: z.string(), role: z.string(), principalId: z.string(), displayPrefix: z.string(),
  storeIds: z.array(z.string()), regionIds: z.array(z.string()), createdAt: z.string(), expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable(),
});

const present = (t: ApiToken) => ({
  id: t.id, name: t.name, role: t.role, principalId: t.principalId, displayPrefix: t.displayPrefix, storeIds: t.storeIds, regionIds: t.regionIds,
  createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  storeIds: z.array(idSchema('store')).max(1000).default([]),
  regionIds: z.array(idSchema('region')).max(100).default([]),
  expiresAt: isoDateTime().optional(),
});

export const tokenRoutes = [
  defineRoute({
    method: 'post', path: '/v1/tokens', operationId: 'createToken', summary: 'Mint an API token (shown once)', tag,
    body: createTokenBody,
    responses: { 201: { description: 'The token, shown this once', schema: tokenSchema.extend({ token: z.string() }) } },
    handler: async ({ body }, ctx) => {
      if (!ctx.ability.can('create', caslSubject('ApiToken', { role: body.role } as Record<string, unknown>))) {
        throw new AppError('forbidden', `your role may not mint ${body.role} tokens`);
      }
      await requireScope(ctx, body.storeIds, body.regionIds);
      if (['store_staff', 'store_manager', 'plugin'].includes(body.role) && body.storeIds.length === 0) {
        throw new AppError('validation_failed', `a ${body.role} token needs storeIds`);
      }
      if (body.role === 'regional_manager' && body.regionIds.length === 0) throw new AppError('validation_failed', 'a regional_manager token needs regionIds');
      const { token, record } = await mintApiToken(ctx.trx, {
        tenantId: ctx.principal.tenantId, role: body.role, name: body.name, storeIds: body.storeIds, regionIds: body.regionIds,
        createdBy: ctx.principal.principalId, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      });
      await writeAudit(commandContext(ctx), { action: 'token.created', subjectType: 'ApiToken', subjectId: record.id, after: present(record) });
      return { status: 201, body: { ...present(record), token } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/tokens', operationId: 'listTokens', summary: 'List API tokens (never the secrets)', tag,
    query: z.strictObject({ ...pageQuery }),
    responses: { 200: { description: 'A page of tokens', schema: pageSchema(tokenSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = ApiToken.forTenant(ctx.trx, ctx.principal.tenantId);
      whereAllowed(qb, ctx.ability, 'read', 'ApiToken', 'api_tokens');
      const page = await paginate<ApiToken>(qb, 'api_tokens', query);
      return { status: 200, body: { data: page.rows.map(present), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/tokens/:id', operationId: 'revokeToken', summary: 'Revoke an API token (effective on the next request)', tag,
    params: z.strictObject({ id: idSchema('token') }),
    responses: { 200: { description: 'The revoked token', schema: tokenSchema } },
    handler: async ({ params }, ctx) => {
      const token = orNotFound(await ApiToken.forTenant(ctx.trx, ctx.principal.tenantId).findOne('api_tokens.id', params.id).forUpdate(), 'token');
      authorize(ctx, 'delete', 'ApiToken', token);
      const revoked = await ApiToken.query(ctx.trx).patchAndFetchById([ctx.principal.tenantId, token.id], { revokedAt: token.revokedAt ?? new Date() });
      await writeAudit(commandContext(ctx), { action: 'token.revoked', subjectType: 'ApiToken', subjectId: token.id, before: present(token), after: present(revoked) });
      return { status: 200, body: present(revoked) };
    },
  }),
];
