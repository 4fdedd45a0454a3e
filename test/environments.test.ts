import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENVIRONMENT_ATTRIBUTE_TABLES, ENVIRONMENT_TABLES as SCOPED_BY_MIGRATION } from '../migrations/20261208000500_environments.js';
import { RUNTIME_ROLE } from '../models/index.js';
import { startWebhookReceiver, type WebhookReceiver } from './servers/webhook-receiver.js';
import type { ApiClient } from './support/api-client.js';
import { databaseLabel } from './support/database.js';
import { buildEvent } from './support/factories.js';
import { deliveriesSettled, FAST, webhookFixture, type WebhookFixture } from './webhooks/support.js';

const ENVIRONMENT_TABLES = [...SCOPED_BY_MIGRATION, 'programs', 'program_versions', 'analytics_incident_hours', 'analytics_dirty_hours', 'analytics_store_days', 'analytics_region_days', 'analytics_zone_hours', 'analytics_store_weeks', 'analytics_pos_exception_hours', 'analytics_digests', 'analytics_camera_outages', 'analytics_camera_report_hours'];

/** Tables keyed on the tenant alone, on purpose: the tenant's directory of people, rules, trail and metering. */
const TENANT_WIDE = [
  'audit_records', 'environments', 'oidc_logins', 'regions', 'tenant_policies', 'usage_counters', 'usage_increments', 'users', 'webhook_settings',
  ...ENVIRONMENT_ATTRIBUTE_TABLES,
];

interface Site { storeId: string; cameraId: string; incidentId: string; endpointId: string; admin: ApiClient; plugin: ApiClient }

const db = databaseLabel();

describe(`[${db}] environments: staging beside production inside one tenant`, () => {
  let fx: WebhookFixture;
  let production: Site;
  let staging: Site;
  let prodReceiver: WebhookReceiver;
  let stagingReceiver: WebhookReceiver;
  let prodSecret = '';
  let stagingSecret = '';

  async function site(admin: ApiClient, receiver: WebhookReceiver, remember: (secret: string) => void): Promise<Site> {
    const regionId = (await fx.hub.admin.post<{ id: string }>('/v1/regions', { name: `Region ${Math.random()}` })).id;
    // The same store code in both environments: codes are unique per environment.
    const store = await admin.post<{ id: string }>('/v1/stores', { regionId, name: 'Berlin Mitte', code: 'BER-001', timezone: 'Europe/Berlin', settings: { mergeWindowSeconds: 0 } });
    const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Lane 1' });
    await admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['127.0.0.1/32'] });
    const endpoint = await admin.post<{ id: string; secret: string }>('/v1/webhooks', { url: receiver.url, eventTypes: ['incident.created'] });
    remember(endpoint.secret);
    const plugin = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: 'plugin', role: 'plugin', storeIds: [store.id] })).token);
    const result = await plugin.post<{ results: Array<{ incidentId?: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, 200);
    const incidentId = result.results[0]?.incidentId;
    assert.ok(incidentId, JSON.stringify(result));
    return { storeId: store.id, cameraId: camera.id, incidentId, endpointId: endpoint.id, admin, plugin };
  }

  before(async () => {
    fx = await webhookFixture();
    prodReceiver = await startWebhookReceiver({ secrets: () => [prodSecret] });
    stagingReceiver = await startWebhookReceiver({ secrets: () => [stagingSecret] });
    await fx.hub.admin.post('/v1/environments', { name: 'staging', label: 'Staging' });
    const stagingAdmin = fx.hub.admin.as((await fx.hub.admin.post<{ token: string }>('/v1/tokens', { name: 'staging admin', role: 'lp_admin', environment: 'staging' })).token);
    production = await site(fx.hub.admin, prodReceiver, (s) => (prodSecret = s));
    staging = await site(stagingAdmin, stagingReceiver, (s) => (stagingSecret = s));
    fx.startWorker(FAST);
  });
  after(async () => {
    await prodReceiver.close();
    await stagingReceiver.close();
    await fx.stop();
  });

  async function asRuntime<T>(environment: string, sql: string): Promise<T[]> {
    return fx.hub.db.knex.transaction(async (trx) => {
      await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('vigil.environment', ?, true), set_config('role', ?, true)", [fx.hub.tenantId, environment, RUNTIME_ROLE]);
      return (await trx.raw<{ rows: T[] }>(sql)).rows;
    });
  }

  test('every table with a tenant key is scoped by environment in its row-level security, or is tenant-wide on purpose', async () => {
    const { rows } = await fx.hub.db.knex.raw<{ rows: Array<{ table: string; parent: string | null; scoped: boolean; hasColumn: boolean }> }>(`
      SELECT c.relname AS table, (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid) AS parent,
             EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND pg_get_expr(p.polqual, p.polrelid) LIKE '%vigil.environment%'
                                                  AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%vigil.environment%') AS scoped,
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'environment' AND NOT a.attisdropped) AS "hasColumn"
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    const scopedTables: readonly string[] = ENVIRONMENT_TABLES;
    const unaccounted = rows.filter((r) => !scopedTables.includes(r.parent ?? r.table) && !TENANT_WIDE.includes(r.parent ?? r.table)).map((r) => r.table);
    assert.deepEqual(unaccounted, [], 'a new tenant table must be scoped by environment or listed as tenant-wide');
    const unscoped = rows.filter((r) => scopedTables.includes(r.parent ?? r.table) && !(r.scoped && r.hasColumn)).map((r) => r.table);
    assert.deepEqual(unscoped, []);
    assert.ok(rows.some((r) => r.parent === 'detection_events' && r.scoped), 'partitions carry the environment policy too');
  });

  test('in both directions, a runtime transaction sees and writes its own environment only, whatever its SQL says', async () => {
    for (const [mine, theirs] of [['production', 'staging'], ['staging', 'production']] as const) {
      for (const table of ENVIRONMENT_TABLES) {
        const [leak] = await asRuntime<{ n: number }>(mine, `SELECT count(*)::int AS n FROM ${table} WHERE environment <> '${mine}'`);
        assert.equal(leak?.n, 0, `${table} shows ${mine} rows of ${theirs}`);
      }
      for (const table of ['stores', 'cameras', 'incidents', 'detection_events', 'webhook_endpoints', 'webhook_messages']) {
        const [own] = await asRuntime<{ n: number }>(mine, `SELECT count(*)::int AS n FROM ${table}`);
        assert.ok((own?.n ?? 0) > 0, `${mine} has its own ${table}`);
      }
    }
    await assert.rejects(
      asRuntime('staging', `INSERT INTO stores (tenant_id, environment, id, region_id, name, code, timezone) SELECT tenant_id, 'production', 'sto_0000000000zzzzzzzzzzzzzz', region_id, 'smuggled', 'X', 'UTC' FROM stores LIMIT 1`),
      /row-level security/,
    );
    await assert.rejects(asRuntime('staging', `UPDATE stores SET environment = 'production'`), /row-level security/);
  });

  test("a staging token reads and writes nothing of production's through the API, and production nothing of staging's", async () => {
    for (const [caller, target] of [[staging, production], [production, staging]] as const) {
      await caller.admin.call('GET', `/v1/stores/${target.storeId}`, 404);
      await caller.admin.call('PATCH', `/v1/stores/${target.storeId}`, 404, { name: 'renamed' });
      await caller.admin.call('GET', `/v1/cameras/${target.cameraId}`, 404);
      await caller.admin.call('GET', `/v1/incidents/${target.incidentId}`, 404);
      await caller.admin.call('GET', `/v1/webhooks/${target.endpointId}`, 404);
      await caller.admin.call('POST', '/v1/cameras', 404, { storeId: target.storeId, name: 'smuggled' });
      const stores = await caller.admin.get<{ data: Array<{ id: string }> }>('/v1/stores');
      assert.ok(stores.data.some((s) => s.id === caller.storeId) && !stores.data.some((s) => s.id === target.storeId));
      const incidents = await caller.admin.get<{ data: Array<{ id: string }> }>('/v1/incidents');
      assert.ok(incidents.data.some((i) => i.id === caller.incidentId) && !incidents.data.some((i) => i.id === target.incidentId));
      if (caller === staging) assert.deepEqual(stores.data.map((s) => s.id), [staging.storeId], 'staging starts empty: nothing of production shows');
      const refused = await caller.plugin.call<{ results: Array<{ status: string; incidentId?: string }> }>('POST', '/v1/events', 200, { events: [buildEvent({ cameraId: target.cameraId, storeId: target.storeId })] });
      assert.deepEqual(refused.results.map((r) => [r.status, r.incidentId]), [['rejected', undefined]]);
    }
  });

  test('a staging event reaches staging endpoints only, and every body names its environment', async () => {
    await prodReceiver.waitFor(1);
    await stagingReceiver.waitFor(1);
    await deliveriesSettled(fx.hub.db.knex);
    const bodies = (r: WebhookReceiver) => r.received.map((d) => JSON.parse(d.body) as { data: { id: string; environment: string } });
    assert.deepEqual(bodies(prodReceiver).map((b) => [b.data.id, b.data.environment]), [[production.incidentId, 'production']]);
    assert.deepEqual(bodies(stagingReceiver).map((b) => [b.data.id, b.data.environment]), [[staging.incidentId, 'staging']]);
    assert.ok([...prodReceiver.received, ...stagingReceiver.received].every((d) => d.isVerified), 'signed with each environment\'s own endpoint secret');
    assert.deepEqual([prodReceiver.rejected, stagingReceiver.rejected], [[], []]);
  });

  test("the audit trail: staging reads its own records only, production the tenant's whole trail", async () => {
    const fromStaging = await staging.admin.get<{ data: Array<{ environment: string; action: string }> }>('/v1/audit?limit=200');
    assert.ok(fromStaging.data.length > 0 && fromStaging.data.every((r) => r.environment === 'staging'), JSON.stringify(fromStaging.data.slice(0, 3)));
    assert.ok(fromStaging.data.some((r) => r.action === 'store.created'));
    const fromProduction = await production.admin.get<{ data: Array<{ environment: string }> }>('/v1/audit?limit=200');
    assert.deepEqual([...new Set(fromProduction.data.map((r) => r.environment))].sort(), ['production', 'staging']);
  });

  test('tokens: minted for an environment with its own stores only, listed and revoked only there', async () => {
    await fx.hub.admin.call('POST', '/v1/tokens', 404, { name: 'cross', role: 'store_staff', storeIds: [production.storeId], environment: 'staging' });
    await fx.hub.admin.call('POST', '/v1/tokens', 404, { name: 'nowhere', role: 'auditor', environment: 'nowhere' });
    const staff = await fx.hub.admin.post<{ id: string; environment: string }>('/v1/tokens', { name: 'staging staff', role: 'store_staff', storeIds: [staging.storeId], environment: 'staging' });
    assert.equal(staff.environment, 'staging');
    const seenFromStaging = await staging.admin.get<{ data: Array<{ id: string; environment: string }> }>('/v1/tokens?limit=200');
    assert.ok(seenFromStaging.data.some((t) => t.id === staff.id));
    assert.ok(seenFromStaging.data.every((t) => t.environment === 'staging'));
    const productionToken = (await fx.hub.admin.get<{ data: Array<{ id: string }> }>('/v1/tokens?limit=1')).data[0];
    assert.ok(productionToken);
    await staging.admin.call('DELETE', `/v1/tokens/${productionToken.id}`, 404);
    const environments = await staging.admin.get<{ data: Array<{ name: string; current: boolean }>; current: string }>('/v1/environments');
    assert.equal(environments.current, 'staging');
    assert.deepEqual(environments.data.map((e) => [e.name, e.current]), [['production', false], ['staging', true]]);
  });

  test("a rule limited to staging applies in staging only: an integrator who sees only staging's webhooks", async () => {
    await fx.hub.admin.call('PUT', '/v1/policies/it_integrator', 200, {
      mode: 'replace', reason: 'vendor integrator: staging only',
      rules: [{ action: 'manage', subject: 'Webhook', environments: ['staging'] }, { action: 'read', subject: 'Environment' }],
    });
    const inProduction = fx.hub.admin.as((await fx.hub.admin.post<{ token: string }>('/v1/tokens', { name: 'vendor prod', role: 'it_integrator' })).token);
    const inStaging = fx.hub.admin.as((await fx.hub.admin.post<{ token: string }>('/v1/tokens', { name: 'vendor staging', role: 'it_integrator', environment: 'staging' })).token);
    await inProduction.call('GET', '/v1/webhooks', 403);
    const list = await inStaging.get<{ data: Array<{ id: string }> }>('/v1/webhooks');
    assert.deepEqual(list.data.map((w) => w.id), [staging.endpointId]);
    const refused = await fx.hub.admin.call<{ error: { details: { issues: Array<{ path: string }> } } }>('PUT', '/v1/policies/it_integrator', 400, {
      mode: 'replace', reason: 'typo', rules: [{ action: 'read', subject: 'Webhook', environments: ['Staging!'] }],
    });
    assert.deepEqual(refused.error.details.issues.map((i) => i.path), ['rules[0].environments']);
    // Policies, people and regions are the tenant's: a staging-only grant on them would reach production.
    const shared = await fx.hub.admin.call<{ error: { details: { issues: Array<{ path: string; message: string }> } } }>('PUT', '/v1/policies/it_integrator', 400, {
      mode: 'extend', reason: 'escalation', rules: [{ action: 'manage', subject: ['Webhook', 'Policy'], environments: ['staging'] }, { action: 'manage', subject: 'all', environments: ['staging'] }],
    });
    assert.deepEqual(shared.error.details.issues.map((i) => i.path), ['rules[0].environments', 'rules[1].environments']);
    assert.match(shared.error.details.issues[0]?.message ?? '', /Policy belong to the whole tenant/);
  });
});
