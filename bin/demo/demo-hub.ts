import { join } from 'node:path';
import { AppError } from '../../contracts/index.js';
import { mintApiToken } from '../../hub/auth/api-tokens.js';
import { inTenant } from '../../hub/auth/oidc/tenant-transaction.js';
import type { DevAccount } from '../../hub/dev-idp/index.js';
import type { RunningHub } from '../../hub/server.js';
import { TILL_REGISTER } from '../../plugin/scenes/index.js';

/** What the demo seeds in the dev provider's tenant, through the hub's own API (every change audited). */
export interface DemoSite {
  tenantId: string;
  storeId: string;
  laneId: string;
  checkoutCameraId: string;
  aisleCameraId: string;
  pluginToken: string;
  adminToken: string;
  /** An it_integrator token: what the POS back office posts its export with. */
  posToken: string;
  webhookId: string;
  webhookSecret: string;
  accounts: DevAccount[];
}

/** The hub on its embedded database with the built-in OpenID provider and its seeded people. */
export async function startDemoHub(dataDir: string, port: number): Promise<RunningHub> {
  const { loadHubConfig } = await import('../../hub/config/index.js');
  const { startHub } = await import('../../hub/server.js');
  const { pluginRuleCatalog } = await import('../../plugin/rules/index.js');
  const config = loadHubConfig({
    env: { ...process.env, DATABASE_URL: '' },
    overrides: {
      dataDir: join(dataDir, 'hub'),
      http: { port, host: '127.0.0.1' },
      identity: { devIdp: true },
      // The demo's receivers listen on this machine: the operator ceiling lets the tenant allow loopback.
      webhooks: { allowedPrivateRanges: ['127.0.0.1/32'] },
    },
  });
  return startHub({ config, ruleCatalog: pluginRuleCatalog });
}

/** Posts POS transactions (the hub's JSON form) as the POS back office's export. */
export function posExport(hubUrl: string, token: string): (transactions: unknown[]) => Promise<void> {
  const call = apiClient(hubUrl, token);
  return async (transactions) => {
    await call('POST', '/v1/pos/transactions', { transactions }, 200);
  };
}

/** A small client of the hub's API with one bearer token; any answer but the expected one stops the demo. */
function apiClient(baseUrl: string, token: string) {
  return async <T>(method: string, path: string, body: unknown, expected = 201): Promise<T> => {
    const response = await fetch(new URL(path, baseUrl), {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) throw new AppError('internal', `demo set-up: ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

/**
 * Store A of the demo tenant gets checkout lane 1 (POS register 01) with its camera, an aisle camera, the
 * plugin's service token and a webhook endpoint pointing at the demo's verifying receiver.
 */
export async function seedDemoSite(hub: RunningHub, webhookUrl: string): Promise<DemoSite> {
  const devIdp = hub.identity.devIdp;
  if (!devIdp) throw new AppError('internal', 'the demo needs the built-in OpenID provider');
  const { tenantId, stores } = devIdp.directory;
  const storeId = stores.A001;
  if (!storeId) throw new AppError('internal', 'the demo directory has no store A001');
  const adminToken = await inTenant(hub.knex, tenantId, async (trx) =>
    (await mintApiToken(trx, { tenantId, role: 'lp_admin', name: 'demo admin', createdBy: 'demo' })).token);
  const call = apiClient(hub.url, adminToken);
  await call('PUT', '/v1/webhook-settings', { allowedSubnets: ['127.0.0.1/32'] }, 200);
  const webhook = await call<{ id: string; secret: string }>('POST', '/v1/webhooks', {
    url: webhookUrl, description: 'Demo receiver (verifies signatures)', eventTypes: ['incident.created', 'incident.updated', 'evidence.ready'],
  });
  const lane = await call<{ id: string }>('POST', '/v1/lanes', { storeId, name: 'Lane 1', posWorkstationId: TILL_REGISTER });
  const checkout = await call<{ id: string }>('POST', '/v1/cameras', { storeId, laneId: lane.id, name: 'Checkout 1 (overhead)' });
  const aisle = await call<{ id: string }>('POST', '/v1/cameras', { storeId, name: 'Aisle 5 (high-value)' });
  const plugin = await call<{ token: string }>('POST', '/v1/tokens', { name: 'demo plugin', role: 'plugin', storeIds: [storeId] });
  const pos = await call<{ token: string }>('POST', '/v1/tokens', { name: 'demo POS export', role: 'it_integrator' });
  return {
    tenantId, storeId, laneId: lane.id, checkoutCameraId: checkout.id, aisleCameraId: aisle.id, pluginToken: plugin.token,
    adminToken, posToken: pos.token, webhookId: webhook.id, webhookSecret: webhook.secret, accounts: devIdp.accounts,
  };
}
