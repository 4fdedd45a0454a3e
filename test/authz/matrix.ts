import type { Role } from '../../policies/index.js';
import type { Relation, World } from './world.js';

/**
 * Expected statuses for [own_store, same_region, other_region, other_tenant]. The fifth relation,
 * other_environment (the same tenant's staging), expects what other_tenant does: nothing of another
 * environment is reachable, except the records the environments share (see SHARED_ACROSS_ENVIRONMENTS).
 */
export type Quad = readonly [number, number, number, number];

/**
 * Routes whose target the environments share: regions and people are the tenant's. For these the staging
 * site's region and user behave like another region of the tenant (the other_region column).
 */
export const SHARED_ACROSS_ENVIRONMENTS: ReadonlySet<string> = new Set(['getRegion', 'updateRegion', 'createStore', 'getResponseTimes', 'listAnalyticsDigests', 'getUser', 'updateUser', 'disableUser', 'enableUser']);

/** The status a role expects on a relation (the fifth, other_environment, derived as above). */
export function expectedStatus(operationId: string, entry: MatrixEntry, role: Role, index: number): number {
  const quad = entry.expect[role];
  if (index < 4) return quad[index as 0 | 1 | 2 | 3];
  return SHARED_ACROSS_ENVIRONMENTS.has(operationId) ? quad[2] : quad[3];
}
export interface MatrixRequest {
  method: string;
  path: string;
  body?: unknown;
  /** A raw body with its own headers (chunk uploads) instead of JSON. */
  raw?: Buffer;
  headers?: Record<string, string>;
}
export interface MatrixEntry {
  request: (world: World, relation: Relation) => Promise<MatrixRequest> | MatrixRequest;
  expect: Record<Role, Quad>;
}

const all = (status: number): Quad => [status, status, status, status];
const q = (own: number, region: number, other: number, tenant: number): Quad => [own, region, other, tenant];

function roles(spec: Partial<Record<Role, Quad>> & { default: Quad }): Record<Role, Quad> {
  const { default: fallback, ...explicit } = spec;
  const out = {} as Record<Role, Quad>;
  for (const role of ['store_staff', 'store_manager', 'regional_manager', 'central_reviewer', 'lp_admin', 'it_integrator', 'auditor', 'plugin'] as const) {
    out[role] = explicit[role] ?? fallback;
  }
  return out;
}

// Visibility by scope, reused by many routes.
const storeScoped = q(200, 404, 404, 404);
const regionScoped = q(200, 200, 404, 404);
const tenantWide = q(200, 200, 200, 404);
const readIncident = roles({ default: all(404), store_staff: storeScoped, store_manager: storeScoped, regional_manager: regionScoped, central_reviewer: tenantWide, lp_admin: tenantWide, it_integrator: tenantWide, auditor: tenantWide });
const regionWide = roles({ default: all(404), regional_manager: regionScoped, central_reviewer: tenantWide, lp_admin: tenantWide, it_integrator: tenantWide, auditor: tenantWide });
const readDirectory = roles({ default: tenantWide, store_staff: storeScoped, store_manager: storeScoped, regional_manager: regionScoped, plugin: storeScoped });
const adminOnly = (ok: number) => roles({ default: all(403), lp_admin: all(ok) });
const adminOrAuditor = roles({ default: all(403), lp_admin: all(200), auditor: all(200) });
const listsForEveryone = roles({ default: all(200) });
const created = (quad: Quad): Quad => quad.map((s) => (s === 200 ? 201 : s)) as unknown as Quad;

const writeLaneOrCamera = (ok: number) =>
  roles({ default: q(403, 403, 403, 404), lp_admin: q(ok, ok, ok, 404), it_integrator: q(ok, ok, ok, 404), store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) });
const updateLaneOrCamera: Record<Role, Quad> = { ...writeLaneOrCamera(200), store_manager: q(200, 404, 404, 404) };
const actOnIncident = (ok: number) => roles({ default: all(404), store_staff: q(ok, 404, 404, 404), store_manager: q(ok, 404, 404, 404), regional_manager: q(ok, ok, 404, 404), central_reviewer: q(ok, ok, ok, 404), lp_admin: q(ok, ok, ok, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404) });
const programReaders = (quad: Quad) => roles({ default: all(403), central_reviewer: quad, auditor: quad, lp_admin: quad });
const adminOnlyInTenant = (ok: number) => roles({ default: all(403), lp_admin: q(ok, ok, ok, 404) });
const serviceIdentityWrite = (ok: number) => roles({ default: all(403), lp_admin: q(ok, ok, ok, 404), it_integrator: q(ok, ok, ok, 404) });

/** One entry per operationId of the OpenAPI document; a route missing here fails the suite. */
export const MATRIX: Record<string, MatrixEntry> = {
  createRegion: { request: (w) => ({ method: 'POST', path: '/v1/regions', body: { name: `R ${w.unique()}` } }), expect: adminOnly(201) },
  listRegions: { request: () => ({ method: 'GET', path: '/v1/regions' }), expect: listsForEveryone },
  listEnvironments: { request: () => ({ method: 'GET', path: '/v1/environments' }), expect: listsForEveryone },
  getSessionPermissions: { request: () => ({ method: 'GET', path: '/v1/session/permissions' }), expect: listsForEveryone },
  // Only a console session switches; every token acts where it was minted.
  switchEnvironment: { request: () => ({ method: 'POST', path: '/v1/session/environment', body: { environment: 'production' } }), expect: roles({ default: all(400) }) },
  createEnvironment: { request: (w) => ({ method: 'POST', path: '/v1/environments', body: { name: `env-${w.unique().toLowerCase().replace(/[^a-z0-9-]/g, '')}` } }), expect: adminOnly(201) },
  getRegion: { request: (w, r) => ({ method: 'GET', path: `/v1/regions/${w.site(r).regionId}` }), expect: roles({ default: tenantWide, store_staff: all(404), store_manager: all(404), plugin: all(404), regional_manager: regionScoped }) },
  updateRegion: {
    request: (w, r) => ({ method: 'PATCH', path: `/v1/regions/${w.site(r).regionId}`, body: {} }),
    expect: roles({ default: q(403, 403, 403, 404), lp_admin: tenantWide, store_staff: all(404), store_manager: all(404), plugin: all(404), regional_manager: q(403, 403, 404, 404) }),
  },
  createStore: {
    request: (w, r) => ({ method: 'POST', path: '/v1/stores', body: { regionId: w.site(r).regionId, name: 'New store', code: w.unique(), timezone: 'UTC' } }),
    expect: roles({ default: all(403), lp_admin: q(201, 201, 201, 404) }),
  },
  listStores: { request: () => ({ method: 'GET', path: '/v1/stores' }), expect: listsForEveryone },
  getStore: { request: (w, r) => ({ method: 'GET', path: `/v1/stores/${w.site(r).storeId}` }), expect: readDirectory },
  updateStore: {
    request: (w, r) => ({ method: 'PATCH', path: `/v1/stores/${w.site(r).storeId}`, body: {} }),
    expect: roles({ default: q(403, 403, 403, 404), lp_admin: tenantWide, store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) }),
  },
  // A store's rules are read like the store (its plugin pulls them) and replaced like it: lp_admin only.
  getStoreRules: { request: (w, r) => ({ method: 'GET', path: `/v1/stores/${w.site(r).storeId}/rules` }), expect: readDirectory },
  listStoreRulesVersions: { request: (w, r) => ({ method: 'GET', path: `/v1/stores/${w.site(r).storeId}/rules/versions` }), expect: readDirectory },
  putStoreRules: {
    request: (w, r) => ({ method: 'PUT', path: `/v1/stores/${w.site(r).storeId}/rules`, body: { rules: [] } }),
    expect: roles({ default: q(403, 403, 403, 404), lp_admin: tenantWide, store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) }),
  },
  // Tuning rests on every verdict of the store and changes its rules: for whoever may replace the rules.
  getStoreTuning: {
    request: (w, r) => ({ method: 'GET', path: `/v1/stores/${w.site(r).storeId}/tuning` }),
    expect: roles({ default: q(403, 403, 403, 404), lp_admin: tenantWide, store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) }),
  },
  decideStoreTuning: {
    request: async (w, r) => {
      // The store needs the rule the decision names: its own admin gives it one.
      await w.site(r).admin.call('PUT', `/v1/stores/${w.site(r).storeId}/rules`, 200, { rules: [{ rule: 'zone_dwell', name: 'Matrix dwell', settings: { zoneType: 'exit', minSeconds: 30 } }] });
      return { method: 'POST', path: `/v1/stores/${w.site(r).storeId}/tuning/decisions`, body: { rule: 'Matrix dwell', minConfidence: 0.5, decision: 'reject' } };
    },
    expect: roles({ default: q(403, 403, 403, 404), lp_admin: tenantWide, store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) }),
  },
  createLane: { request: (w, r) => ({ method: 'POST', path: '/v1/lanes', body: { storeId: w.site(r).storeId, name: `Lane ${w.unique()}` } }), expect: writeLaneOrCamera(201) },
  listLanes: { request: () => ({ method: 'GET', path: '/v1/lanes' }), expect: listsForEveryone },
  getLane: { request: (w, r) => ({ method: 'GET', path: `/v1/lanes/${w.site(r).laneId}` }), expect: readDirectory },
  updateLane: { request: (w, r) => ({ method: 'PATCH', path: `/v1/lanes/${w.site(r).laneId}`, body: {} }), expect: updateLaneOrCamera },
  createCamera: { request: (w, r) => ({ method: 'POST', path: '/v1/cameras', body: { storeId: w.site(r).storeId, name: `Cam ${w.unique()}` } }), expect: writeLaneOrCamera(201) },
  listCameras: { request: () => ({ method: 'GET', path: '/v1/cameras' }), expect: listsForEveryone },
  getCamera: { request: (w, r) => ({ method: 'GET', path: `/v1/cameras/${w.site(r).cameraId}` }), expect: readDirectory },
  updateCamera: { request: (w, r) => ({ method: 'PATCH', path: `/v1/cameras/${w.site(r).cameraId}`, body: {} }), expect: updateLaneOrCamera },
  // Per-item results carry the refusals (store not the plugin's, camera unknown); the batch itself is 200.
  ingestEvents: {
    request: async (w, r) => {
      const { buildEvent } = await import('../support/factories.js');
      return { method: 'POST', path: '/v1/events', body: { events: [buildEvent({ cameraId: w.site(r).cameraId, storeId: w.site(r).storeId })] } };
    },
    expect: roles({ default: all(403), plugin: all(200), lp_admin: all(200) }),
  },
  listIncidents: { request: () => ({ method: 'GET', path: '/v1/incidents' }), expect: listsForEveryone },
  getIncident: { request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}` }), expect: readIncident },
  transitionIncident: { request: async (w, r) => ({ method: 'POST', path: `/v1/incidents/${await w.freshIncident(r)}/transitions`, body: { to: 'acknowledged' } }), expect: actOnIncident(200) },
  // HEAD: the same authentication and answer as GET, without an endless event stream to read.
  streamIncidents: { request: () => ({ method: 'HEAD', path: '/v1/incidents/stream' }), expect: listsForEveryone },
  listIncidentEvents: {
    request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/events` }),
    expect: { ...readIncident, store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), it_integrator: q(403, 403, 403, 404) },
  },
  listIncidentTransitions: { request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/transitions` }), expect: readIncident },
  commentIncident: { request: (w, r) => ({ method: 'POST', path: `/v1/incidents/${w.site(r).incidentId}/comments`, body: { body: 'seen' } }), expect: actOnIncident(201) },
  listIncidentComments: { request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/comments` }), expect: readIncident },
  listAudit: { request: () => ({ method: 'GET', path: '/v1/audit' }), expect: adminOrAuditor },
  verifyAuditChain: { request: () => ({ method: 'GET', path: '/v1/audit/verification' }), expect: adminOrAuditor },
  createToken: {
    request: (w, r) => ({ method: 'POST', path: '/v1/tokens', body: { name: 'matrix', role: 'plugin', storeIds: [w.site(r).storeId] } }),
    expect: roles({ default: all(403), lp_admin: q(201, 201, 201, 404), it_integrator: q(201, 201, 201, 404) }),
  },
  listTokens: { request: () => ({ method: 'GET', path: '/v1/tokens' }), expect: listsForEveryone },
  revokeToken: {
    request: async (w, r) => ({ method: 'DELETE', path: `/v1/tokens/${await w.freshToken(r)}` }),
    expect: roles({ default: all(404), lp_admin: tenantWide, it_integrator: q(403, 403, 403, 404) }),
  },
  listPolicies: { request: () => ({ method: 'GET', path: '/v1/policies' }), expect: adminOrAuditor },
  getPolicy: { request: () => ({ method: 'GET', path: '/v1/policies/store_staff' }), expect: adminOrAuditor },
  putPolicy: { request: () => ({ method: 'PUT', path: '/v1/policies/auditor', body: { reason: 'matrix', rules: [] } }), expect: adminOnly(200) },
  listPolicyVersions: { request: () => ({ method: 'GET', path: '/v1/policies/auditor/versions' }), expect: adminOrAuditor },
  diffPolicyVersions: { request: () => ({ method: 'GET', path: '/v1/policies/auditor/diff?from=0&to=1' }), expect: adminOrAuditor },
  revertPolicy: { request: () => ({ method: 'POST', path: '/v1/policies/auditor/revert', body: { version: 1, reason: 'matrix' } }), expect: adminOnly(200) },
  // Whose decision: the site's person, about the site's incident; another tenant's person is a 404 like any of its ids.
  explainPolicyDecision: {
    request: (w, r) => ({ method: 'POST', path: '/v1/policies/explain', body: { principalId: w.site(r).userId, action: 'read', subject: 'Incident', id: w.site(r).incidentId } }),
    expect: roles({ default: all(403), lp_admin: tenantWide, auditor: tenantWide }),
  },
  createServiceIdentity: {
    request: (w, r) => ({ method: 'POST', path: '/v1/service-identities', body: { name: 'matrix', storeIds: [w.site(r).storeId] } }),
    expect: serviceIdentityWrite(201),
  },
  listServiceIdentities: { request: () => ({ method: 'GET', path: '/v1/service-identities' }), expect: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200), auditor: all(200) }) },
  getServiceIdentity: { request: (w, r) => ({ method: 'GET', path: `/v1/service-identities/${w.site(r).serviceId}` }), expect: roles({ default: all(403), lp_admin: tenantWide, it_integrator: tenantWide, auditor: tenantWide }) },
  updateServiceIdentity: { request: (w, r) => ({ method: 'PATCH', path: `/v1/service-identities/${w.site(r).serviceId}`, body: {} }), expect: serviceIdentityWrite(200) },
  rotateServiceToken: { request: (w, r) => ({ method: 'POST', path: `/v1/service-identities/${w.site(r).serviceId}/rotate`, body: { graceSeconds: 3600 } }), expect: serviceIdentityWrite(201) },
  // The plugin inventory lists tokens as the tokens list does (what a role may read of them; nobody else's environment or tenant).
  listPlugins: { request: () => ({ method: 'GET', path: '/v1/plugins' }), expect: listsForEveryone },
  // Analytics are scoped like incidents; a filter naming a store, lane or region the caller may not read is a 404.
  getIncidentAnalytics: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/incidents?storeId=${w.site(r).storeId}&by=lane&interval=day` }), expect: readIncident },
  getIncidentHeatmap: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/heatmap?laneId=${w.site(r).laneId}` }), expect: readIncident },
  getOutcomeAnalytics: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/outcomes?storeId=${w.site(r).storeId}&by=store&format=csv` }), expect: readIncident },
  // A region filter needs region-wide read: store roles are refused even their own store's region.
  getResponseTimes: {
    request: (w, r) => ({ method: 'GET', path: `/v1/analytics/response-times?regionId=${w.site(r).regionId}&by=store` }),
    expect: roles({ default: all(404), regional_manager: regionScoped, central_reviewer: tenantWide, lp_admin: tenantWide, it_integrator: tenantWide, auditor: tenantWide }),
  },
  // Digests are region-wide figures, authorised like a region filter: regional managers their regions', central roles the tenant's, store roles none.
  getDigestSettings: { request: () => ({ method: 'GET', path: '/v1/analytics/digest-settings' }), expect: adminOnly(200) },
  putDigestSettings: { request: () => ({ method: 'PUT', path: '/v1/analytics/digest-settings', body: { cadence: 'weekly' } }), expect: adminOnly(200) },
  listAnalyticsDigests: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/digests?regionId=${w.site(r).regionId}&cadence=weekly` }), expect: regionWide },
  getAnalyticsDigest: { request: async (w, r) => ({ method: 'GET', path: `/v1/analytics/digests/${await w.digestId(r)}` }), expect: regionWide },
  getAnalyticsDigestHtml: { request: async (w, r) => ({ method: 'GET', path: `/v1/analytics/digests/${await w.digestId(r)}/html` }), expect: regionWide },
  getRepeatExceptions: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/repeat-exceptions?laneId=${w.site(r).laneId}&by=lane&min=1` }), expect: readIncident },
  getCameraHealth: { request: (w, r) => ({ method: 'GET', path: `/v1/analytics/camera-health?storeId=${w.site(r).storeId}&by=store&format=csv` }), expect: readIncident },
  getUsage: { request: () => ({ method: 'GET', path: '/v1/usage' }), expect: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200), auditor: all(200) }) },
  // Pilot programs: central review and auditors read them, lp_admin runs them; nobody reaches another tenant's.
  createProgram: {
    request: (w, r) => ({ method: 'POST', path: '/v1/programs', body: { name: `Pilot ${w.unique()}`, storeIds: [w.site(r).storeId], rules: [{ rule: 'no_sale_drawer_open', settings: {} }] } }),
    expect: roles({ default: all(403), lp_admin: q(201, 201, 201, 404) }),
  },
  listPrograms: { request: () => ({ method: 'GET', path: '/v1/programs' }), expect: programReaders(all(200)) },
  getProgram: { request: (w, r) => ({ method: 'GET', path: `/v1/programs/${w.site(r).programId}` }), expect: programReaders(tenantWide) },
  getProgramFigures: { request: (w, r) => ({ method: 'GET', path: `/v1/programs/${w.site(r).programId}/figures` }), expect: programReaders(tenantWide) },
  updateProgram: { request: (w, r) => ({ method: 'PATCH', path: `/v1/programs/${w.site(r).programId}`, body: { reason: 'matrix', laneIds: [] } }), expect: adminOnlyInTenant(200) },
  promoteProgram: { request: async (w, r) => ({ method: 'POST', path: `/v1/programs/${await w.freshProgram(r)}/promote`, body: { reason: 'matrix' } }), expect: adminOnlyInTenant(200) },
  rollbackProgram: { request: async (w, r) => ({ method: 'POST', path: `/v1/programs/${await w.freshProgram(r, { promoted: true })}/rollback`, body: { reason: 'matrix' } }), expect: adminOnlyInTenant(200) },
  endProgram: { request: async (w, r) => ({ method: 'POST', path: `/v1/programs/${await w.freshProgram(r)}/end`, body: { reason: 'matrix' } }), expect: adminOnlyInTenant(200) },
};

export { created };

/** Requests of the routes added by the webhook, evidence and identity work; their expectations are in EXPECTED below. */
export const REQUESTS: Record<string, MatrixEntry['request']> = {
  createEvidenceUpload: (w, r) => ({ method: 'POST', path: '/v1/evidence/uploads', body: { kind: 'metadata', bytes: 10, sha256: 'b'.repeat(64), cameraId: w.site(r).cameraId, capturedFrom: new Date().toISOString(), capturedTo: new Date().toISOString() } }),
  getEvidenceUpload: async (w, r) => ({ method: 'GET', path: `/v1/evidence/uploads/${await w.openUpload(r)}` }),
  abortEvidenceUpload: async (w, r) => ({ method: 'DELETE', path: `/v1/evidence/uploads/${await w.openUpload(r)}` }),
  listEvidenceItems: (w, r) => ({ method: 'GET', path: `/v1/evidence/items?incidentId=${w.site(r).incidentId}` }),
  getEvidenceItem: (w, r) => ({ method: 'GET', path: `/v1/evidence/items/${w.site(r).itemId}` }),
  linkEvidenceItem: (w, r) => ({ method: 'POST', path: `/v1/evidence/items/${w.site(r).itemId}/links`, body: {} }),
  listEvidenceKeys: () => ({ method: 'GET', path: '/v1/evidence/keys' }),
  listLegalHolds: (w, r) => ({ method: 'GET', path: `/v1/evidence/holds?targetId=${w.site(r).incidentId}` }),
  placeLegalHold: (w, r) => ({ method: 'POST', path: '/v1/evidence/holds', body: { targetType: 'incident', targetId: w.site(r).incidentId, reason: 'matrix' } }),
  releaseLegalHold: async (w, r) => {
    const site = w.site(r);
    const hold = await site.admin.post<{ id: string }>('/v1/evidence/holds', { targetType: 'item', targetId: site.itemId, reason: 'matrix' });
    return { method: 'POST', path: `/v1/evidence/holds/${hold.id}/release`, body: {} };
  },
  exportIncident: (w, r) => ({ method: 'POST', path: `/v1/incidents/${w.site(r).incidentId}/exports`, body: { redacted: true } }),
  listIncidentExports: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/exports` }),
  listRetentionPolicies: () => ({ method: 'GET', path: '/v1/retention/policies' }),
  createRetentionPolicy: (w, r) => ({ method: 'POST', path: '/v1/retention/policies', body: { outcome: 'dismissed', keepDays: 5, storeId: w.site(r).storeId, incidentType: w.unique() } }),
  deleteRetentionPolicy: async (w, r) => {
    const site = w.site(r);
    const policy = await site.admin.post<{ id: string }>('/v1/retention/policies', { outcome: 'verified', keepDays: 30, storeId: site.storeId, incidentType: w.unique() });
    return { method: 'DELETE', path: `/v1/retention/policies/${policy.id}` };
  },
  planRetention: () => ({ method: 'GET', path: '/v1/retention/plan' }),
  getWebhookSettings: () => ({ method: 'GET', path: '/v1/webhook-settings' }),
  putInboundSecret: () => ({ method: 'PUT', path: '/v1/webhook-settings/inbound-secret', body: { required: false } }),
  putWebhookSettings: () => ({ method: 'PUT', path: '/v1/webhook-settings', body: { allowedSubnets: ['10.20.0.0/16'] } }),
  createWebhook: () => ({ method: 'POST', path: '/v1/webhooks', body: { url: 'https://hooks.example.com/new', eventTypes: ['incident.updated'] } }),
  listWebhooks: () => ({ method: 'GET', path: '/v1/webhooks' }),
  getWebhook: (w, r) => ({ method: 'GET', path: `/v1/webhooks/${w.site(r).webhookId}` }),
  updateWebhook: (w, r) => ({ method: 'PATCH', path: `/v1/webhooks/${w.site(r).webhookId}`, body: { description: 'matrix' } }),
  rotateWebhookSecret: (w, r) => ({ method: 'POST', path: `/v1/webhooks/${w.site(r).webhookId}/secret/rotate`, body: { graceSeconds: 60 } }),
  listWebhookAttempts: (w, r) => ({ method: 'GET', path: `/v1/webhooks/${w.site(r).webhookId}/attempts` }),
  listWebhookDeliveries: (w, r) => ({ method: 'GET', path: `/v1/webhooks/${w.site(r).webhookId}/deliveries` }),
  resendWebhookMessage: async (w, r) => ({ method: 'POST', path: `/v1/webhooks/${w.site(r).webhookId}/messages/${await w.firstMessageId(r)}/resend`, body: {} }),
  recoverWebhook: (w, r) => ({ method: 'POST', path: `/v1/webhooks/${w.site(r).webhookId}/recover`, body: { since: new Date(Date.now() - 3600_000).toISOString() } }),
  sendWebhookTest: (w, r) => ({ method: 'POST', path: `/v1/webhooks/${w.site(r).webhookId}/test`, body: {} }),
  createRoute: (w, r) => ({ method: 'POST', path: '/v1/routes', body: { name: 'matrix', storeId: w.site(r).storeId, endpointIds: [w.site(r).webhookId] } }),
  listRoutes: () => ({ method: 'GET', path: '/v1/routes' }),
  getRoute: (w, r) => ({ method: 'GET', path: `/v1/routes/${w.site(r).routeId}` }),
  updateRoute: (w, r) => ({ method: 'PATCH', path: `/v1/routes/${w.site(r).routeId}`, body: { enabled: true } }),
  deleteRoute: async (w, r) => {
    const site = w.site(r);
    const route = await site.admin.post<{ id: string }>('/v1/routes', { name: 'to delete', storeId: site.storeId, endpointIds: [site.webhookId] });
    return { method: 'DELETE', path: `/v1/routes/${route.id}` };
  },
  createRoutingPolicy: (w, r) => ({ method: 'POST', path: '/v1/routing-policies', body: { name: 'matrix', storeId: w.site(r).storeId, endpointIds: [w.site(r).webhookId] } }),
  listRoutingPolicies: () => ({ method: 'GET', path: '/v1/routing-policies' }),
  getRoutingPolicy: (w, r) => ({ method: 'GET', path: `/v1/routing-policies/${w.site(r).routeId}` }),
  updateRoutingPolicy: (w, r) => ({ method: 'PATCH', path: `/v1/routing-policies/${w.site(r).routeId}`, body: { enabled: true } }),
  deleteRoutingPolicy: async (w, r) => {
    const site = w.site(r);
    const route = await site.admin.post<{ id: string }>('/v1/routing-policies', { name: 'to delete', storeId: site.storeId, endpointIds: [site.webhookId] });
    return { method: 'DELETE', path: `/v1/routing-policies/${route.id}` };
  },
  uploadEvidenceChunk: async (w, r) => ({ method: 'PATCH', path: `/v1/evidence/uploads/${await w.openUpload(r)}`, raw: Buffer.from('12345'), headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } }),
  getEvidenceFile: async (w, r) => {
    const site = w.site(r);
    const link = await site.admin.post<{ url: string }>(`/v1/evidence/items/${site.itemId}/links`, {});
    return { method: 'GET', path: new URL(link.url, 'http://hub').pathname + new URL(link.url, 'http://hub').search };
  },
  listPosTransactions: () => ({ method: 'GET', path: '/v1/pos/transactions' }),
  getPosTransaction: async (w, r) => ({ method: 'GET', path: `/v1/pos/transactions/${await w.posTransactionId(r)}` }),
  ingestPosTransactions: (w, r) => ({
    method: 'POST', path: '/v1/pos/transactions',
    body: { transactions: [{ posStoreId: `M-${r}`, workstationId: 'POS-1', sequenceNumber: w.unique(), businessDay: '2026-11-24', kind: 'no_sale' }] },
  }),
  createUser: (w) => ({ method: 'POST', path: '/v1/users', body: { email: `${w.unique()}@example.com`, role: 'auditor' } }),
  listUsers: () => ({ method: 'GET', path: '/v1/users' }),
  getUser: (w, r) => ({ method: 'GET', path: `/v1/users/${w.site(r).userId}` }),
  updateUser: (w, r) => ({ method: 'PATCH', path: `/v1/users/${w.site(r).userId}`, body: { name: 'Matrix' } }),
  disableUser: (w, r) => ({ method: 'POST', path: `/v1/users/${w.site(r).userId}/disable`, body: {} }),
  enableUser: (w, r) => ({ method: 'POST', path: `/v1/users/${w.site(r).userId}/enable`, body: {} }),
};

/**
 * Expected statuses of the routes in REQUESTS. Reviewed by hand: no role reaches another tenant's record
 * (the last column is 404 wherever the route names a record), and tenant-level routes (keys, settings,
 * creating webhooks or users) do not depend on the relation.
 */
const EXPECTED: Record<string, Record<Role, Quad>> = {
  putInboundSecret: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200) }),
  uploadEvidenceChunk: roles({ default: all(404), plugin: q(204, 404, 404, 404), lp_admin: q(204, 204, 204, 404) }),
  // Access is the link's signature, whoever follows it; the link itself was minted by a reader.
  getEvidenceFile: roles({ default: all(200) }),
  // Unmatched transactions (another tenant's store number) are kept and flagged, never refused.
  ingestPosTransactions: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200) }),
  // POS transactions are read like incidents (by store, region, tenant); every role may list what it may see.
  listPosTransactions: listsForEveryone,
  getPosTransaction: readIncident,
  createEvidenceUpload: { store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(403, 403, 403, 404), lp_admin: q(201, 201, 201, 404), it_integrator: q(404, 404, 404, 404), auditor: q(403, 403, 403, 404), plugin: q(201, 404, 404, 404) },
  getEvidenceUpload: { store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(403, 403, 403, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(403, 403, 403, 404), plugin: q(200, 404, 404, 404) },
  abortEvidenceUpload: { store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(403, 403, 403, 404), lp_admin: q(204, 204, 204, 404), it_integrator: q(404, 404, 404, 404), auditor: q(403, 403, 403, 404), plugin: q(204, 404, 404, 404) },
  listEvidenceItems: { store_staff: q(200, 404, 404, 404), store_manager: q(200, 404, 404, 404), regional_manager: q(200, 200, 404, 404), central_reviewer: q(200, 200, 200, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  getEvidenceItem: { store_staff: q(200, 404, 404, 404), store_manager: q(200, 404, 404, 404), regional_manager: q(200, 200, 404, 404), central_reviewer: q(200, 200, 200, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  linkEvidenceItem: { store_staff: q(201, 404, 404, 404), store_manager: q(201, 404, 404, 404), regional_manager: q(201, 201, 404, 404), central_reviewer: q(201, 201, 201, 404), lp_admin: q(201, 201, 201, 404), it_integrator: q(201, 201, 201, 404), auditor: q(201, 201, 201, 404), plugin: q(404, 404, 404, 404) },
  listEvidenceKeys: { store_staff: q(200, 200, 200, 200), store_manager: q(200, 200, 200, 200), regional_manager: q(200, 200, 200, 200), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(200, 200, 200, 200) },
  listLegalHolds: roles({ default: all(200), it_integrator: all(403), plugin: all(403) }),
  placeLegalHold: { store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(201, 201, 201, 404), lp_admin: q(201, 201, 201, 404), it_integrator: q(404, 404, 404, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  releaseLegalHold: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(200, 200, 200, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(403, 403, 403, 403), plugin: q(404, 404, 404, 404) },
  // The exports already made are read like their incident.
  listIncidentExports: readIncident,
  exportIncident: { store_staff: q(201, 404, 404, 404), store_manager: q(201, 404, 404, 404), regional_manager: q(201, 201, 404, 404), central_reviewer: q(201, 201, 201, 404), lp_admin: q(201, 201, 201, 404), it_integrator: q(201, 201, 201, 404), auditor: q(201, 201, 201, 404), plugin: q(404, 404, 404, 404) },
  listRetentionPolicies: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(403, 403, 403, 403), auditor: q(200, 200, 200, 200), plugin: q(403, 403, 403, 403) },
  createRetentionPolicy: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(201, 201, 201, 404), it_integrator: q(403, 403, 403, 403), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  deleteRetentionPolicy: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(204, 204, 204, 404), it_integrator: q(403, 403, 403, 403), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  planRetention: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(403, 403, 403, 403), auditor: q(200, 200, 200, 200), plugin: q(403, 403, 403, 403) },
  getWebhookSettings: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(403, 403, 403, 403) },
  putWebhookSettings: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  createWebhook: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(201, 201, 201, 201), it_integrator: q(201, 201, 201, 201), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  listWebhooks: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(403, 403, 403, 403) },
  getWebhook: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  updateWebhook: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  rotateWebhookSecret: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  listWebhookAttempts: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  listWebhookDeliveries: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  resendWebhookMessage: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(202, 202, 202, 404), it_integrator: q(202, 202, 202, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  recoverWebhook: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(202, 202, 202, 404), it_integrator: q(202, 202, 202, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  sendWebhookTest: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(202, 202, 202, 404), it_integrator: q(202, 202, 202, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  createRoute: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(201, 201, 201, 404), it_integrator: q(403, 403, 403, 403), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  listRoutes: { store_staff: q(200, 200, 200, 200), store_manager: q(200, 200, 200, 200), regional_manager: q(200, 200, 200, 200), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(200, 200, 200, 200) },
  getRoute: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(200, 200, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  updateRoute: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  deleteRoute: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(204, 204, 204, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  createRoutingPolicy: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(201, 201, 201, 404), it_integrator: q(403, 403, 403, 403), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  listRoutingPolicies: { store_staff: q(200, 200, 200, 200), store_manager: q(200, 200, 200, 200), regional_manager: q(200, 200, 200, 200), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(200, 200, 200, 200) },
  getRoutingPolicy: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(200, 200, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(200, 200, 200, 404), auditor: q(200, 200, 200, 404), plugin: q(404, 404, 404, 404) },
  updateRoutingPolicy: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  deleteRoutingPolicy: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(403, 403, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(204, 204, 204, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404), plugin: q(404, 404, 404, 404) },
  createUser: { store_staff: q(403, 403, 403, 403), store_manager: q(403, 403, 403, 403), regional_manager: q(403, 403, 403, 403), central_reviewer: q(403, 403, 403, 403), lp_admin: q(201, 201, 201, 201), it_integrator: q(403, 403, 403, 403), auditor: q(403, 403, 403, 403), plugin: q(403, 403, 403, 403) },
  listUsers: { store_staff: q(200, 200, 200, 200), store_manager: q(200, 200, 200, 200), regional_manager: q(200, 200, 200, 200), central_reviewer: q(200, 200, 200, 200), lp_admin: q(200, 200, 200, 200), it_integrator: q(200, 200, 200, 200), auditor: q(200, 200, 200, 200), plugin: q(200, 200, 200, 200) },
  getUser: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(404, 404, 404, 404), plugin: q(404, 404, 404, 404) },
  updateUser: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(404, 404, 404, 404), plugin: q(404, 404, 404, 404) },
  disableUser: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(404, 404, 404, 404), plugin: q(404, 404, 404, 404) },
  enableUser: { store_staff: q(404, 404, 404, 404), store_manager: q(404, 404, 404, 404), regional_manager: q(404, 404, 404, 404), central_reviewer: q(404, 404, 404, 404), lp_admin: q(200, 200, 200, 404), it_integrator: q(404, 404, 404, 404), auditor: q(404, 404, 404, 404), plugin: q(404, 404, 404, 404) },
};

for (const [operationId, request] of Object.entries(REQUESTS)) {
  const expect = EXPECTED[operationId];
  if (!expect) throw new Error(`no expectations for ${operationId}`);
  MATRIX[operationId] = { request, expect };
}
