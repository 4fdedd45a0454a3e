import type { Role } from '../../policies/index.js';
import type { Relation, World } from './world.js';

/** Expected statuses for [own_store, same_region, other_region, other_tenant]. */
export type Quad = readonly [number, number, number, number];
export interface MatrixRequest {
  method: string;
  path: string;
  body?: unknown;
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
const readDirectory = roles({ default: tenantWide, store_staff: storeScoped, store_manager: storeScoped, regional_manager: regionScoped, plugin: storeScoped });
const adminOnly = (ok: number) => roles({ default: all(403), lp_admin: all(ok) });
const adminOrAuditor = roles({ default: all(403), lp_admin: all(200), auditor: all(200) });
const listsForEveryone = roles({ default: all(200) });
const created = (quad: Quad): Quad => quad.map((s) => (s === 200 ? 201 : s)) as unknown as Quad;

const writeLaneOrCamera = (ok: number) =>
  roles({ default: q(403, 403, 403, 404), lp_admin: q(ok, ok, ok, 404), it_integrator: q(ok, ok, ok, 404), store_staff: q(403, 404, 404, 404), store_manager: q(403, 404, 404, 404), regional_manager: q(403, 403, 404, 404), plugin: q(403, 404, 404, 404) });
const updateLaneOrCamera = roles({ ...writeLaneOrCamera(200), store_manager: q(200, 404, 404, 404) });
const actOnIncident = (ok: number) => roles({ default: all(404), store_staff: q(ok, 404, 404, 404), store_manager: q(ok, 404, 404, 404), regional_manager: q(ok, ok, 404, 404), central_reviewer: q(ok, ok, ok, 404), lp_admin: q(ok, ok, ok, 404), it_integrator: q(403, 403, 403, 404), auditor: q(403, 403, 403, 404) });
const serviceIdentityWrite = (ok: number) => roles({ default: all(403), lp_admin: q(ok, ok, ok, 404), it_integrator: q(ok, ok, ok, 404) });

/** One entry per operationId of the OpenAPI document; a route missing here fails the suite. */
export const MATRIX: Record<string, MatrixEntry> = {
  createRegion: { request: (w) => ({ method: 'POST', path: '/v1/regions', body: { name: `R ${w.unique()}` } }), expect: adminOnly(201) },
  listRegions: { request: () => ({ method: 'GET', path: '/v1/regions' }), expect: listsForEveryone },
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
  listIncidentTransitions: { request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/transitions` }), expect: readIncident },
  commentIncident: { request: (w, r) => ({ method: 'POST', path: `/v1/incidents/${w.site(r).incidentId}/comments`, body: { body: 'seen' } }), expect: actOnIncident(201) },
  listIncidentComments: { request: (w, r) => ({ method: 'GET', path: `/v1/incidents/${w.site(r).incidentId}/comments` }), expect: readIncident },
  listAudit: { request: () => ({ method: 'GET', path: '/v1/audit' }), expect: adminOrAuditor },
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
  createServiceIdentity: {
    request: (w, r) => ({ method: 'POST', path: '/v1/service-identities', body: { name: 'matrix', storeIds: [w.site(r).storeId] } }),
    expect: serviceIdentityWrite(201),
  },
  listServiceIdentities: { request: () => ({ method: 'GET', path: '/v1/service-identities' }), expect: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200), auditor: all(200) }) },
  getServiceIdentity: { request: (w, r) => ({ method: 'GET', path: `/v1/service-identities/${w.site(r).serviceId}` }), expect: roles({ default: all(403), lp_admin: tenantWide, it_integrator: tenantWide, auditor: tenantWide }) },
  updateServiceIdentity: { request: (w, r) => ({ method: 'PATCH', path: `/v1/service-identities/${w.site(r).serviceId}`, body: {} }), expect: serviceIdentityWrite(200) },
  rotateServiceToken: { request: (w, r) => ({ method: 'POST', path: `/v1/service-identities/${w.site(r).serviceId}/rotate`, body: { graceSeconds: 3600 } }), expect: serviceIdentityWrite(201) },
  getUsage: { request: () => ({ method: 'GET', path: '/v1/usage' }), expect: roles({ default: all(403), lp_admin: all(200), it_integrator: all(200), auditor: all(200) }) },
};

export { created };
