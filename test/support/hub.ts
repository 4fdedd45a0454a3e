import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../contracts/index.js';
import type { RuleCatalog } from '../../hub/commands/store-rules-editor.js';
import { createTenant } from '../../hub/commands/tenant-creator.js';
import { loadHubConfig, mergeLayers, type HubConfigOverrides } from '../../hub/config/index.js';
import type { Database } from '../../hub/db/index.js';
import { createLogger } from '../../hub/logger.js';
import { startHub, type RunningHub } from '../../hub/server.js';
import { pluginRuleCatalog } from '../../plugin/rules/index.js';
import { ApiClient } from './api-client.js';
import { freshDatabase } from './database.js';

export interface TestHub {
  url: string;
  tenantId: string;
  adminToken: string;
  /** A client authenticated as the tenant's lp_admin. */
  admin: ApiClient;
  running: RunningHub;
  /** The hub's clock: real time plus whatever a test has moved it by. */
  clock: TestClock;
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

/** Real time, movable forward: a test advances it instead of sleeping through an expiry. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/** A real hub on a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), on an ephemeral port. */
/** `options.ruleCatalog`: the plugin's rule registry unless given; null starts the hub without one, as `startHub()` alone does. */
export async function startTestHub(overrides: HubConfigOverrides = {}, options: { pgliteDir?: string; now?: () => Date; ruleCatalog?: RuleCatalog | null } = {}): Promise<TestHub> {
  const db = await freshDatabase(options);
  const clock = new TestClock();
  // Each hub keeps its keys (audit, secrets) in a data directory of its own, never the repository's ./.vigil.
  const ownDir = overrides.dataDir === undefined && options.pgliteDir === undefined ? mkdtempSync(join(tmpdir(), 'vigil-hub-')) : undefined;
  const dataDir = options.pgliteDir ?? ownDir;
  const config = loadHubConfig({ env: {}, overrides: mergeLayers({ logLevel: 'silent', ...(dataDir ? { dataDir } : {}), http: { port: 0, rateLimitPerIdentityPerMinute: 0, rateLimitPerTenantPerMinute: 0, authFailuresPerMinute: 0 } }, overrides) });
  let running: RunningHub;
  try {
    running = await startHub({ config, db, clock: options.now ?? clock.now, log: createLogger(process.env.VIGIL_TEST_LOG ?? 'silent'), ...(options.ruleCatalog === null ? {} : { ruleCatalog: options.ruleCatalog ?? pluginRuleCatalog }) });
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
    clock,
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
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
  return hub;
}
