import { subject as caslSubject } from '@casl/ability';
import { z } from 'zod';
import { AppError, environmentNameSchema, idSchema, isoDateTime } from '../../../contracts/index.js';
import { ApiToken } from '../../../models/index.js';
import { ROLES, whereAllowed } from '../../../policies/index.js';
import { describeToken, issueToken, revokeToken } from '../../commands/token-issuer.js';
import { abilityIn } from '../authorize.js';
import { loadAuthorized } from '../resource-routes.js';
import { commandContext } from '../command-context.js';
import { pageQuery, pageSchema, paginate, presentPage } from '../pagination.js';
import { defineRoute } from '../route.js';

const tag = 'Tokens';

const tokenSchema = z.object({
  id: z.string(), name: z.string(), environment: z.string(), role: z.string(), principalId: z.string(), displayPrefix: z.string(),
  storeIds: z.array(z.string()), regionIds: z.array(z.string()), createdAt: z.string(), expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable(),
});

const present = describeToken;

const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  storeIds: z.array(idSchema('store')).max(1000).default([]),
  regionIds: z.array(idSchema('region')).max(100).default([]),
  expiresAt: isoDateTime().optional(),
  environment: environmentNameSchema.optional().describe('The environment the token acts in (yours unless named); you need the right to mint it there.'),
});

export const tokenRoutes = [
  defineRoute({
    method: 'post', path: '/v1/tokens', operationId: 'createToken', summary: 'Mint an API token (shown once)', tag,
    body: createTokenBody,
    responses: { 201: { description: 'The token, shown this once', schema: tokenSchema.extend({ token: z.string() }) } },
    handler: async ({ body }, ctx) => {
      const environment = body.environment ?? ctx.principal.environment;
      // Minting for another environment takes the right to mint there: the caller's rules as they apply in it.
      const ability = environment === ctx.principal.environment ? ctx.ability : await abilityIn(ctx, environment);
      if (!ability.can('create', caslSubject('ApiToken', { role: body.role } as Record<string, unknown>))) {
        throw new AppError('forbidden', `your role may not mint ${body.role} tokens${environment === ctx.principal.environment ? '' : ` in ${environment}`}`);
      }
      const { token, record } = await issueToken(commandContext(ctx), { ...body, environment, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
      return { status: 201, body: { ...present(record), token } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/tokens', operationId: 'listTokens', summary: 'List API tokens (never the secrets)', tag,
    query: z.strictObject({ ...pageQuery }),
    responses: { 200: { description: 'A page of tokens', schema: pageSchema(tokenSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = ApiToken.forTenant(ctx.trx, ctx.principal.tenantId).where('api_tokens.environment', ctx.principal.environment);
      whereAllowed(qb, ctx.ability, 'read', 'ApiToken', 'api_tokens');
      return { status: 200, body: presentPage(await paginate<ApiToken>(qb, 'api_tokens', query), present) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/tokens/:id', operationId: 'revokeToken', summary: 'Revoke an API token (effective on the next request)', tag,
    params: z.strictObject({ id: idSchema('token') }),
    responses: { 200: { description: 'The revoked token', schema: tokenSchema } },
    handler: async ({ params }, ctx) => {
      // Tokens are the tenant's, but each acts in one environment: only a caller acting there sees it (404, before any 403).
      const here = await ApiToken.forTenant(ctx.trx, ctx.principal.tenantId).where('api_tokens.environment', ctx.principal.environment).findOne('api_tokens.id', params.id);
      if (!here) throw new AppError('not_found', 'token not found');
      const token = await loadAuthorized<ApiToken>(ctx, ApiToken, 'ApiToken', params.id, 'delete', 'token');
      const revoked = await revokeToken(commandContext(ctx), token);
      return { status: 200, body: present(revoked) };
    },
  }),
];
