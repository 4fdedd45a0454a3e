import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { readDigestSettings, saveDigestSettings } from '../../commands/digest-settings-editor.js';
import { DIGEST_CADENCES } from '../../digest/period.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { paginate, presentPage } from '../pagination.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { DIGEST_COLUMNS, presentDigest, presentDigestSummary, type DigestRow } from './presenter.js';
import { digestPageSchema, digestSchema, listDigestsQuery } from './schema.js';
import { checkDigestRegion, checkRegionFilter, readableRegionIds } from './scope.js';

const tag = 'Analytics';

/** The HTML is a stored e-mail body: shown as is, it may load and run nothing, and may not be framed. */
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const digests = (ctx: RequestContext) => ctx.trx<DigestRow>('analytics_digests').where('analytics_digests.tenant_id', ctx.principal.tenantId);

/** A digest of the caller's tenant and environment (row-level security) whose region they may read; 404 otherwise. */
async function loadDigest(ctx: RequestContext, id: string): Promise<DigestRow & { html: string }> {
  const row = await digests(ctx).where('analytics_digests.id', id).first([...DIGEST_COLUMNS, 'html']) as (DigestRow & { region_id: string; html: string }) | undefined;
  if (!row) throw new AppError('not_found', `digest ${id} not found`);
  await checkDigestRegion(ctx, row.region_id, `digest ${id}`);
  return row;
}

const settingsSchema = z.strictObject({ cadence: z.enum([...DIGEST_CADENCES, 'off']).describe('weekly (the default), daily, or off') });

export const digestRoutes = [
  defineRoute({
    method: 'get', path: '/v1/analytics/digest-settings', operationId: 'getDigestSettings', tag,
    summary: 'Which digests the worker makes for this tenant: weekly (default), daily, or off',
    responses: { 200: { description: 'The settings', schema: settingsSchema } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Tenant');
      return { status: 200, body: await readDigestSettings(commandContext(ctx)) };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/analytics/digest-settings', operationId: 'putDigestSettings', tag,
    summary: 'Set the tenant\'s digest cadence (audited); the next run of the worker\'s digest job follows it',
    body: settingsSchema,
    responses: { 200: { description: 'The settings now', schema: settingsSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'update', 'Tenant');
      return { status: 200, body: await saveDigestSettings(commandContext(ctx), body) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/digests', operationId: 'listAnalyticsDigests', tag,
    summary: 'Scheduled per-region digests (daily or weekly), newest first: the regions the caller reads incidents of as a whole',
    query: listDigestsQuery,
    responses: { 200: { description: 'A page of digests', schema: digestPageSchema } },
    handler: async ({ query }, ctx) => {
      if (query.regionId) await checkRegionFilter(ctx, query.regionId);
      const regions = query.regionId ? [query.regionId] : await readableRegionIds(ctx);
      const builder = digests(ctx).whereIn('analytics_digests.region_id', regions).select<DigestRow[]>(DIGEST_COLUMNS.map((c) => `analytics_digests.${c}`));
      if (query.cadence) void builder.where('analytics_digests.cadence', query.cadence);
      const page = await paginate<DigestRow>(builder, 'analytics_digests', query);
      return { status: 200, body: presentPage(page, presentDigestSummary) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/digests/:id', operationId: 'getAnalyticsDigest', tag,
    summary: 'One digest: its figures as JSON',
    params: idParams('digest'),
    responses: { 200: { description: 'The digest', schema: digestSchema } },
    handler: async ({ params }, ctx) => ({ status: 200, body: presentDigest(await loadDigest(ctx, params.id)) }),
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/digests/:id/html', operationId: 'getAnalyticsDigestHtml', tag,
    summary: 'One digest as its e-mail-ready HTML (inline styles, no scripts or external resources), under a strict Content-Security-Policy',
    params: idParams('digest'),
    responses: { 200: { description: 'text/html' } },
    handler: async ({ params }, ctx) => ({ status: 200, body: (await loadDigest(ctx, params.id)).html, headers: HTML_HEADERS }),
  }),
];
