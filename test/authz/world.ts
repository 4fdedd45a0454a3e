import { publishDigest } from '../../hub/commands/digest-publisher.js';
import { buildDigest, periodFrom, renderDigestHtml } from '../../hub/digest/index.js';
import { withTenant } from '../../models/index.js';
import type { Role } from '../../policies/index.js';
import type { ApiClient } from '../support/api-client.js';
import { buildEvent } from '../support/factories.js';
import type { TestHub } from '../support/hub.js';

/** Where the target resource sits relative to the caller's scope. */
export const RELATIONS = ['own_store', 'same_region', 'other_region', 'other_tenant', 'other_environment'] as const;
export type Relation = (typeof RELATIONS)[number];

interface Site {
  regionId: string;
  storeId: string;
  laneId: string;
  cameraId: string;
  incidentId: string;
  tokenId: string;
  serviceId: string;
  webhookId: string;
  routeId: string;
  userId: string;
  itemId: string;
  holdId: string;
  programId: string;
  admin: ApiClient;
  plugin: ApiClient;
}

/**
 * The fixture the authorization matrix runs against: tenant T with region North (stores A and B) and
 * South (store C), and another tenant with store D. Store roles and the plugin are scoped to A, the
 * regional manager to North.
 */
export class World {
  readonly clients = new Map<Role, ApiClient>();
  /** The same roles minted in the tenant's staging environment. */
  readonly stagingClients = new Map<Role, ApiClient>();
  private readonly sites = new Map<Relation, Site>();
  private readonly posTransactions = new Map<Relation, string>();
  private readonly digests = new Map<Relation, string>();
  private otherTenantId = '';
  private counter = 0;

  constructor(readonly hub: TestHub) {}

  static async build(hub: TestHub): Promise<World> {
    const world = new World(hub);
    const north = (await hub.createRegion('North')).id;
    const south = (await hub.createRegion('South')).id;
    const other = await hub.createTenant('Elsewhere Retail');
    world.otherTenantId = other.tenantId;
    const otherRegion = await other.admin.post<{ id: string }>('/v1/regions', { name: 'Far' });
    await world.addSite('own_store', hub.admin, north);
    await world.addSite('same_region', hub.admin, north);
    await world.addSite('other_region', hub.admin, south);
    await world.addSite('other_tenant', other.admin, otherRegion.id);
    // The same tenant's staging environment: its own stores, endpoints, incidents, evidence and programs, made
    // by a staging admin, under a region of the tenant (regions and people are shared by the environments).
    await hub.admin.post('/v1/environments', { name: 'staging' });
    const stagingAdmin = hub.admin.as((await hub.admin.post<{ token: string }>('/v1/tokens', { name: 'staging admin', role: 'lp_admin', environment: 'staging' })).token);
    const lab = (await hub.createRegion('Staging lab')).id;
    await world.addSite('other_environment', stagingAdmin, lab);
    // The same roles acting in staging, scoped like their production twins but to the staging site: they try the
    // production sites (the other direction of the other_environment column).
    const stagingSite = world.site('other_environment');
    const stagingScopes: Record<Role, { storeIds?: string[]; regionIds?: string[] }> = {
      store_staff: { storeIds: [stagingSite.storeId] }, store_manager: { storeIds: [stagingSite.storeId] }, regional_manager: { regionIds: [lab] },
      central_reviewer: {}, lp_admin: {}, it_integrator: {}, auditor: {}, plugin: { storeIds: [stagingSite.storeId] },
    };
    for (const [role, scope] of Object.entries(stagingScopes) as Array<[Role, typeof stagingScopes[Role]]>) {
      const minted = await stagingAdmin.post<{ token: string }>('/v1/tokens', { name: `staging ${role}`, role, ...scope });
      world.stagingClients.set(role, hub.admin.as(minted.token));
    }
    const own = world.site('own_store');
    const scopes: Record<Role, { storeIds?: string[]; regionIds?: string[] }> = {
      store_staff: { storeIds: [own.storeId] },
      store_manager: { storeIds: [own.storeId] },
      regional_manager: { regionIds: [north] },
      central_reviewer: {},
      lp_admin: {},
      it_integrator: {},
      auditor: {},
      plugin: { storeIds: [own.storeId] },
    };
    for (const [role, scope] of Object.entries(scopes) as Array<[Role, typeof scopes[Role]]>) {
      world.clients.set(role, hub.admin.as(await hub.createToken(role, scope)));
    }
    await hub.admin.call('PUT', '/v1/policies/auditor', 200, { reason: 'matrix fixture', rules: [] });
    return world;
  }

  private async addSite(relation: Relation, admin: ApiClient, regionId: string): Promise<void> {
    const store = await admin.post<{ id: string }>('/v1/stores', { regionId, name: `Store ${relation}`, code: `M-${relation}`, timezone: 'Europe/Paris' });
    const lane = await admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'POS-1' });
    const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, laneId: lane.id, name: 'Lane 1 overhead' });
    const service = await admin.post<{ id: string; token: string; tokenId: string }>('/v1/service-identities', { name: `Plugin ${relation}`, storeIds: [store.id] });
    const plugin = admin.as(service.token);
    const webhook = await admin.post<{ id: string }>('/v1/webhooks', { url: 'https://hooks.example.com/vigil', eventTypes: ['incident.created'] });
    const route = await admin.post<{ id: string }>('/v1/routes', { name: `Route ${relation}`, storeId: store.id, endpointIds: [webhook.id] });
    const user = await admin.post<{ id: string }>('/v1/users', { email: `${relation.replace('_', '.')}@example.com`, role: 'store_staff', storeIds: [store.id] });
    const site: Site = {
      regionId, storeId: store.id, laneId: lane.id, cameraId: camera.id, incidentId: '', tokenId: service.tokenId, serviceId: service.id, admin, plugin,
      webhookId: webhook.id, routeId: route.id, userId: user.id, itemId: '', holdId: '', programId: '',
    };
    this.sites.set(relation, site);
    site.incidentId = await this.freshIncident(relation);
    site.itemId = await this.uploadMetadataItem(relation, site.incidentId);
    site.holdId = (await admin.post<{ id: string }>('/v1/evidence/holds', { targetType: 'incident', targetId: site.incidentId, reason: 'matrix fixture' })).id;
    site.programId = await this.freshProgram(relation);
  }

  /** A new pilot program on the relation's store, in shadow; `promoted` moves it live first (so it can be rolled back). */
  async freshProgram(relation: Relation, options: { promoted?: boolean } = {}): Promise<string> {
    const site = this.site(relation);
    const program = await site.admin.post<{ id: string }>('/v1/programs', { name: `Pilot ${this.unique()}`, storeIds: [site.storeId], rules: [{ rule: 'no_sale_drawer_open', settings: {} }] });
    if (options.promoted) await site.admin.post(`/v1/programs/${program.id}/promote`, { reason: 'matrix fixture' }, 200);
    return program.id;
  }

  /** A small metadata evidence item uploaded by the site's plugin through the resumable upload API. */
  async uploadMetadataItem(relation: Relation, incidentId: string): Promise<string> {
    const site = this.site(relation);
    const { createHash } = await import('node:crypto');
    const body = Buffer.from(JSON.stringify({ relation, note: 'matrix' }));
    const at = new Date().toISOString();
    const upload = await site.plugin.post<{ id: string }>('/v1/evidence/uploads', {
      kind: 'metadata', bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), cameraId: site.cameraId, incidentId, capturedFrom: at, capturedTo: at,
    });
    const response = await site.plugin.raw('PATCH', `/v1/evidence/uploads/${upload.id}`, { body, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } });
    const itemId = response.headers.get('evidence-id');
    if (response.status !== 204 || !itemId) throw new Error(`metadata upload failed: ${response.status} ${JSON.stringify(response.body)}`);
    return itemId;
  }

  /** A webhook message of the relation's endpoint (fixture incidents each made one). */
  async firstMessageId(relation: Relation): Promise<string> {
    const site = this.site(relation);
    const page = await site.admin.get<{ data: Array<{ messageId: string }> }>(`/v1/webhooks/${site.webhookId}/deliveries`);
    const id = page.data[0]?.messageId;
    if (!id) throw new Error(`no webhook message for ${relation}`);
    return id;
  }

  /** An open upload of the relation's plugin (for reads and aborts). */
  async openUpload(relation: Relation): Promise<string> {
    const site = this.site(relation);
    const at = new Date().toISOString();
    return (await site.plugin.post<{ id: string }>('/v1/evidence/uploads', { kind: 'metadata', bytes: 10, sha256: 'a'.repeat(64), cameraId: site.cameraId, capturedFrom: at, capturedTo: at })).id;
  }

  /** A POS transaction of the site's store (posted once, as the site's admin, then reused). */
  async posTransactionId(relation: Relation): Promise<string> {
    const known = this.posTransactions.get(relation);
    if (known) return known;
    const site = this.site(relation);
    await site.admin.post('/v1/pos/transactions', { transactions: [{ posStoreId: `M-${relation}`, workstationId: 'POS-1', sequenceNumber: `fixture-${relation}`, businessDay: '2026-11-24', kind: 'sale' }] }, 200);
    const page = await site.admin.get<{ data: Array<{ id: string; sequenceNumber: string }> }>(`/v1/pos/transactions?storeId=${site.storeId}&limit=200`);
    const id = page.data.find((t) => t.sequenceNumber === `fixture-${relation}`)?.id;
    if (!id) throw new Error(`no POS transaction for ${relation}`);
    this.posTransactions.set(relation, id);
    return id;
  }

  /** A digest of the relation's region, published as the worker publishes one (each relation its own past week: two share a region). */
  async digestId(relation: Relation): Promise<string> {
    const known = this.digests.get(relation);
    if (known) return known;
    const { regionId } = this.site(relation);
    const tenantId = relation === 'other_tenant' ? this.otherTenantId : this.hub.tenantId;
    const environment = relation === 'other_environment' ? 'staging' : 'production';
    const period = periodFrom('weekly', new Date(Date.UTC(2026, 0, 5 + 7 * RELATIONS.indexOf(relation))));
    const id = await withTenant(this.hub.db.knex, tenantId, { environment }, async (trx) => {
      const content = await buildDigest({ trx, tenantId, environment, regionId, period });
      const ctx = { actor: { type: 'system' as const, id: 'matrix' }, tenantId, environment, requestId: null, clientAddress: null, trx };
      return publishDigest(ctx, { regionId, period, content, html: renderDigestHtml(content) });
    });
    if (!id) throw new Error(`no digest for ${relation}`);
    this.digests.set(relation, id);
    return id;
  }

  site(relation: Relation): Site {
    const site = this.sites.get(relation);
    if (!site) throw new Error(`no site for ${relation}`);
    return site;
  }

  client(role: Role, environment: 'production' | 'staging' = 'production'): ApiClient {
    const client = (environment === 'production' ? this.clients : this.stagingClients).get(role);
    if (!client) throw new Error(`no client for ${role}`);
    return client;
  }

  /** A new incident in the relation's store (each starts in state `new`). */
  async freshIncident(relation: Relation): Promise<string> {
    const site = this.site(relation);
    this.counter += 1;
    const occurredAt = new Date(Date.UTC(2026, 0, 1, 0, this.counter * 5)).toISOString();
    const body = await site.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: site.cameraId, storeId: site.storeId, occurredAt })] }, 200);
    return body.results[0]!.incidentId;
  }

  /** A new plugin token for the relation's store, minted by that tenant's admin. */
  async freshToken(relation: Relation): Promise<string> {
    const site = this.site(relation);
    return (await site.admin.post<{ id: string }>('/v1/tokens', { name: 'matrix', role: 'plugin', storeIds: [site.storeId] })).id;
  }

  unique(): string {
    this.counter += 1;
    return `m${this.counter}`;
  }
}
