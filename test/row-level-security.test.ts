import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUNTIME_ROLE } from '../models/index.js';
import { buildEvent } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('tenant isolation in the database (row-level security)', () => {
  let hub: TestHub;
  let other: Awaited<ReturnType<TestHub['createTenant']>>;
  before(async () => {
    hub = await startTestHub();
    const store = await hub.createStore();
    const camera = await hub.createCamera(store.id);
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    await plugin.post('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, 200);
    other = await hub.createTenant();
    await other.admin.post('/v1/regions', { name: 'Elsewhere' });
  });
  after(() => hub.stop());

  async function asRuntime<T>(tenantId: string | null, sql: string): Promise<T[]> {
    return hub.db.knex.transaction(async (trx) => {
      if (tenantId) await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [tenantId]);
      await trx.raw("SELECT set_config('role', ?, true)", [RUNTIME_ROLE]);
      return (await trx.raw<{ rows: T[] }>(sql)).rows;
    });
  }

  test('a raw query as the runtime role without the tenant setting returns 0 rows', async () => {
    for (const table of ['incidents', 'regions', 'stores', 'cameras', 'detection_events', 'audit_records', 'api_tokens', 'tenants']) {
      const rows = await asRuntime<{ n: number }>(null, `SELECT count(*)::int AS n FROM ${table}`);
      assert.equal(rows[0]?.n, 0, table);
    }
  });

  test('with the setting, the runtime role sees its tenant only, even without a WHERE clause', async () => {
    const regions = await asRuntime<{ tenant_id: string }>(hub.tenantId, 'SELECT tenant_id FROM regions');
    assert.ok(regions.length > 0);
    assert.ok(regions.every((r) => r.tenant_id === hub.tenantId));
    const foreign = await asRuntime<{ tenant_id: string }>(other.tenantId, 'SELECT tenant_id FROM regions');
    assert.deepEqual(foreign.map((r) => r.tenant_id), [other.tenantId]);
  });

  test("the runtime role cannot write a row into another tenant", async () => {
    await assert.rejects(
      asRuntime(hub.tenantId, `INSERT INTO regions (tenant_id, id, name) VALUES ('${other.tenantId}', 'reg_0000000000zzzzzzzzzzzzzz', 'smuggled')`),
      /row-level security/,
    );
  });

  test('the runtime role owns nothing and cannot bypass row-level security', async () => {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ rolsuper: boolean; rolbypassrls: boolean }> }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?', [RUNTIME_ROLE]);
    assert.deepEqual(rows[0], { rolsuper: false, rolbypassrls: false });
    const owned = await hub.db.knex.raw<{ rows: unknown[] }>("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = ?", [RUNTIME_ROLE]);
    assert.equal(owned.rows.length, 0);
  });

  test('every table with a tenant_id column has row-level security enabled and forced', async () => {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ table: string; enabled: boolean; forced: boolean }> }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    assert.ok(rows.length >= 12);
    const unprotected = rows.filter((r) => !r.enabled || !r.forced).map((r) => r.table);
    assert.deepEqual(unprotected, []);
  });
});
