import { newId } from '../../contracts/index.js';
import { createTenant } from '../../hub/commands/tenant-creator.js';
import { loadHubConfig, type HubConfigInput } from '../../hub/config/index.js';
import type { Database } from '../../hub/db/index.js';
import { createLogger } from '../../hub/logger.js';
import { startHub, type RunningHub } from '../../hub/server.js';
import { ApiClient } from './api-client.js';
import { freshDatabase } from './database.js';

export interface TestHub {
  url: string;
  tenantId: string;
  adminToken: string;
  /** A client authenticated as the tenant's lp_admin. */
  admin: ApiClient;
  running: RunningHub;
  db: Database;
  createRegion(name?: string): Promise<{ id: string }>;
  createStore(options?: { regionId?: string; code?: string; mergeWindowSeconds?: number }): Promise<{ id: string; regionId: string }>;
  createCamera(storeId: string, options?: { laneId?: string }): Promise<{ id: string; storeId: string }>;
  createToken(role: string, scope?: { storeIds?: string[]; regionIds?: string[] }): Promise<string>;
  createPluginToken(storeIds: string[]): Promise<string>;
  /** Another tenant in the same hub, with its own admin. */
  createTenant(name?: string): Promise<{ tenantId: string; admin: ApiClient }>;
  stop(): Promise<void>;
}

/** A real hub on a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), on an ephemeral port. */
export async function startTestHub(overrides: Partial<HubConfigInput> = {}, options: { pgliteDir?: string; now?: () => Date } = {}): Promise<TestHub> {
  const db = await freshDatabase(options);
  const config = loadHubConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', rateLimitPerIdentityPerMinute: 0, rateLimitPerTenantPerMinute: 0, authFailuresPerMinute: 0, ...overrides } });
  let running: RunningHub;
  try {
    running = await startHub({ config, db, log: createLogger(process.env.VIGIL_TEST_LOG ?? 'silent'), ...(options.now ? { now: options.now } : {}) });
  } catch (error) {
    await db.close();
    throw error;
  }
  const created = await createTenant(db.knex, `Test retail ${newId('tenant').slice(-6)}`);
  const admin = new ApiClient(running.url, created.adminToken);
  let counter = 0;
  const hub: TestHub = {
    url: running.url,
    tenantId: created.tenant.id,
    adminToken: created.adminToken,
    admin,
    running,
    db,
    createRegion: (name) => admin.post('/v1/regions', { name: name ?? `Region ${(counter += 1)}` }) as Promise<{ id: string }>,
    async createStore(options = {}) {
      const regionId = options.regionId ?? (await hub.createRegion()).id;
      counter += 1;
      return admin.post('/v1/stores', {
        regionId, name: `Store ${counter}`, code: options.code ?? `S${counter}-${Date.now() % 100000}`, timezone: 'Europe/Berlin',
        ...(options.mergeWindowSeconds !== undefined ? { settings: { mergeWindowSeconds: options.mergeWindowSeconds } } : {}),
      }) as Promise<{ id: string; regionId: string }>;
    },
    createCamera: (storeId, options = {}) =>
      admin.post('/v1/cameras', { storeId, name: `Camera ${(counter += 1)}`, ...(options.laneId ? { laneId: options.laneId } : {}) }) as Promise<{ id: string; storeId: string }>,
    async createToken(role, scope = {}) {
      const body = await admin.post<{ token: string }>('/v1/tokens', { name: `${role} token`, role, ...scope });
      return body.token;
    },
    createPluginToken: (storeIds) => hub.createToken('plugin', { storeIds }),
    async createTenant(name) {
      const other = await createTenant(db.knex, name ?? 'Other retail');
      return { tenantId: other.tenant.id, admin: new ApiClient(running.url, other.adminToken) };
    },
    async stop() {
      await running.stop();
      await db.close();
    },
  };
  return hub;
}
