import { Store, type StoreRulesVersion } from '../../../models/index.js';
import { storeRulesBodySchema, type StoreRulesDocument } from '../../../contracts/index.js';
import { latestStoreRules, listStoreRulesVersions, presentStoreRules, saveStoreRules, storeRulesEtag } from '../../commands/store-rules-editor.js';
import { programsForStore } from '../../commands/program-reader.js';
import { authorize } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { loadAuthorized } from '../resource-routes.js';
import { defineRoute, type AnyRouteSpec, type RouteResponse } from '../route.js';
import type { HubServices } from '../services.js';
import type { RequestContext } from '../state.js';
import {
  STORE_RULES_BODY_LIMIT, getStoreRulesHeaders, listStoreRulesVersionsQuery, putStoreRulesHeaders, storeRulesDocumentSchema, storeRulesVersionsSchema,
} from './rules-schema.js';

const tag = 'Stores';
const params = idParams('store');

/**
 * The store (404 unless the caller may read it, as for any store route) and the caller's right to `action` its
 * rules: a reader of the store without that right gets 404 for reading, 403 for changing. A store about to get
 * new rules is locked, so its saves queue.
 */
export async function storeFor(ctx: RequestContext, id: string, action: 'read' | 'update'): Promise<Store> {
  const store = await loadAuthorized<Store>(ctx, Store, 'Store', id, 'read', 'store', { lock: action === 'update' });
  authorize(ctx, action, 'StoreRules', { storeId: store.id, regionId: store.regionId });
  return store;
}

/** `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`; `*` matches any. */
function matchesIfNoneMatch(header: string, etag: string): boolean {
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '')).some((tag) => tag === '*' || tag === etag);
}

const cacheHeaders = (etag: string) => ({ etag, 'cache-control': 'private, no-cache' });

function documentResponse(document: StoreRulesDocument): RouteResponse {
  return { status: 200, body: document, headers: cacheHeaders(storeRulesEtag(document)) };
}

const presentVersion = (row: StoreRulesVersion) => ({ version: row.version, rules: row.rules, savedBy: row.savedBy, savedAt: row.savedAt.toISOString() });

export const storeRulesRoutes = (services: Pick<HubServices, 'ruleCatalog'>): AnyRouteSpec[] => [
  defineRoute({
    method: 'get', path: '/v1/stores/:id/rules', operationId: 'getStoreRules', tag,
    summary: 'The store\'s detection rules with per-lane overrides, as its plugin runs them (version 0 and no rules until first saved)',
    params, headers: getStoreRulesHeaders,
    responses: { 200: { description: 'The rule document; ETag names its version', schema: storeRulesDocumentSchema }, 304: { description: 'Unchanged since the If-None-Match ETag' } },
    handler: async ({ params: { id }, headers }, ctx) => {
      const store = await storeFor(ctx, id, 'read');
      const reader = commandContext(ctx);
      const document = presentStoreRules(store.id, await latestStoreRules(reader, store.id), await programsForStore(reader, store.id));
      const etag = storeRulesEtag(document);
      const ifNoneMatch = headers['if-none-match'];
      if (ifNoneMatch !== undefined && matchesIfNoneMatch(ifNoneMatch, etag)) return { status: 304, headers: cacheHeaders(etag) };
      return documentResponse(document);
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/stores/:id/rules', operationId: 'putStoreRules', tag,
    summary: 'Replace the store\'s rules: every rule\'s settings are checked for the store and for each lane it overrides; the old version is kept',
    params, headers: putStoreRulesHeaders, body: storeRulesBodySchema, bodyLimit: STORE_RULES_BODY_LIMIT,
    responses: {
      200: { description: 'The saved document; ETag names its version', schema: storeRulesDocumentSchema },
      412: { description: 'If-Match names an older version (precondition_failed)' },
    },
    handler: async ({ params: { id }, headers, body }, ctx) => {
      const store = await storeFor(ctx, id, 'update');
      const saved = await saveStoreRules(commandContext(ctx), store, body, { catalog: services.ruleCatalog, ifMatch: headers['if-match'] });
      return documentResponse(saved);
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/stores/:id/rules/versions', operationId: 'listStoreRulesVersions', tag,
    summary: 'Every saved version of the store\'s rules, newest first',
    params, query: listStoreRulesVersionsQuery,
    responses: { 200: { description: 'Versions', schema: storeRulesVersionsSchema } },
    handler: async ({ params: { id }, query }, ctx) => {
      const store = await storeFor(ctx, id, 'read');
      const rows = await listStoreRulesVersions(commandContext(ctx), store.id, query.limit);
      return { status: 200, body: { data: rows.map(presentVersion) } };
    },
  }),
];
