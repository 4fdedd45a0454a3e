import { subject as caslSubject } from '@casl/ability';
import { z } from 'zod';
import { AppError, compareVersions, environmentNameSchema, idSchema, isoDateTime, MIN_PLUGIN_VERSION, vigilVersion } from '../../../contracts/index.js';
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

const pluginsSchema = z.object({
  minPluginVersion: z.string(), hubVersion: z.string(),
  data: z.array(z.object({
    tokenId: z.string(), principalId: z.string(), name: z.string(), storeIds: z.array(z.string()), pluginVersion: z.string().nullable(),
    versionSeenAt: z.string().nullable(), lastUsedAt: z.string().nullable(), outdated: z.boolean().describe('older than minPluginVersion'),
  })),
});

const presentPlugin = (t: ApiToken) => ({
  tokenId: t.id, principalId: t.principalId, name: t.name, storeIds: t.storeIds, pluginVersion: t.pluginVersion,
  versionSeenAt: t.pluginVersionSeenAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  outdated: t.pluginVersion !== null && (compareVersions(t.pluginVersion, MIN_PLUGIN_VERSION) ?? 0) < 0,
});

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
  defineRoute({
    method: 'get', path: '/v1/plugins', operationId: 'listPlugins', tag,
    summary: "This environment's plugin tokens with the version each plugin last reported, and whether it is older than the hub supports",
    responses: { 200: { description: 'Plugins, outdated first', schema: pluginsSchema } },
    handler: async (_input, ctx) => {
      const qb = ApiToken.forTenant(ctx.trx, ctx.principal.tenantId).where('api_tokens.environment', ctx.principal.environment).where('api_tokens.role', 'plugin').whereNull('api_tokens.revoked_at');
      whereAllowed(qb, ctx.ability, 'read', 'ApiToken', 'api_tokens');
      const rows = (await qb.orderBy('api_tokens.id').limit(1000)).map(presentPlugin);
      rows.sort((a, b) => Number(b.outdated) - Number(a.outdated));
      return { status: 200, body: { minPluginVersion: MIN_PLUGIN_VERSION, hubVersion: vigilVersion(), data: rows } };
    },
  }),
];
