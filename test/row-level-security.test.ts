import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureMonthlyPartitions, PARTITIONED_TABLES } from '../hub/db/index.js';
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

  async function asRuntime<T>(tenantId: string | null, sql: string, environment = 'production'): Promise<T[]> {
    return hub.db.knex.transaction(async (trx) => {
      if (tenantId) await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('vigil.environment', ?, true)", [tenantId, environment]);
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

  async function tenantTables(): Promise<Array<{ table: string; partition: boolean; enabled: boolean; forced: boolean; policy: boolean }>> {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ table: string; partition: boolean; enabled: boolean; forced: boolean; policy: boolean }> }>(`
      SELECT c.relname AS table, c.relispartition AS partition, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) AS policy
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY c.relname`);
    return rows;
  }

  test('every table with a tenant_id column, partitions included, has row-level security enabled and forced with a policy', async () => {
    const rows = await tenantTables();
    assert.ok(rows.length >= 12);
    for (const parent of PARTITIONED_TABLES) {
      assert.ok(rows.some((r) => r.table === `${parent}_default` && r.partition), `${parent}_default is enumerated`);
      assert.ok(rows.some((r) => r.table.startsWith(`${parent}_2`) && r.partition), `a monthly partition of ${parent} is enumerated`);
    }
    const unprotected = rows.filter((r) => !r.enabled || !r.forced || !r.policy).map((r) => r.table);
    assert.deepEqual(unprotected, []);
  });

  test('partitions the partition job makes after migration are protected from the start', async () => {
    const made = await ensureMonthlyPartitions(hub.db.knex, new Date(Date.UTC(2031, 5, 15)), 0);
    assert.ok(made.includes('audit_records_203106') && made.includes('detection_events_203106'), made.join(', '));
    const rows = (await tenantTables()).filter((r) => made.includes(r.table));
    assert.equal(rows.length, made.length);
    assert.deepEqual(rows.filter((r) => !r.enabled || !r.forced || !r.policy).map((r) => r.table), []);
    for (const table of made) {
      const parent = PARTITIONED_TABLES.find((p) => table.startsWith(`${p}_`)) ?? '';
      assert.deepEqual(await runtimePrivileges(table), await runtimePrivileges(parent), `${table} grants the runtime role what ${parent} does`);
    }
  });

  async function runtimePrivileges(table: string): Promise<string[]> {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ privilege: string }> }>(`
      SELECT p AS privilege FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p WHERE has_table_privilege(?, ?::regclass, p)`, [RUNTIME_ROLE, table]);
    return rows.map((r) => r.privilege);
  }

  test('a partition named directly shows the runtime role its own tenant only', async () => {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ name: string }> }>(`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'detection_events'::regclass`);
    for (const { name } of rows) {
      const [mine] = await asRuntime<{ n: number }>(hub.tenantId, `SELECT count(*)::int AS n FROM ${name} WHERE tenant_id <> '${hub.tenantId}'`);
      assert.equal(mine?.n, 0, name);
      const [none] = await asRuntime<{ n: number }>(null, `SELECT count(*)::int AS n FROM ${name}`);
      assert.equal(none?.n, 0, name);
      const [foreign] = await asRuntime<{ n: number }>(other.tenantId, `SELECT count(*)::int AS n FROM ${name}`);
      assert.equal(foreign?.n, 0, `${name} shows ${other.tenantId} none of ${hub.tenantId}'s events`);
    }
    const [total] = await asRuntime<{ n: number }>(hub.tenantId, 'SELECT count(*)::int AS n FROM detection_events');
    assert.equal(total?.n, 1);
  });

  test('the runtime role may only INSERT and SELECT audit records, through the parent or any partition', async () => {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ name: string }> }>(`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname LIKE 'audit%' ORDER BY 1`);
    const tables = rows.map((r) => r.name);
    assert.ok(tables.includes('audit_records') && tables.includes('audit_records_default') && tables.some((t) => /^audit_records_\d{6}$/.test(t)), tables.join(', '));
    for (const table of tables) {
      assert.deepEqual(await runtimePrivileges(table), ['SELECT', 'INSERT'], table);
      await assert.rejects(asRuntime(hub.tenantId, `UPDATE ${table} SET action = 'rewritten'`), /permission denied/, `UPDATE ${table}`);
      await assert.rejects(asRuntime(hub.tenantId, `DELETE FROM ${table}`), /permission denied/, `DELETE ${table}`);
      await assert.rejects(asRuntime(hub.tenantId, `TRUNCATE ${table}`), /permission denied/, `TRUNCATE ${table}`);
    }
    const [count] = await asRuntime<{ n: number }>(hub.tenantId, 'SELECT count(*)::int AS n FROM audit_records');
    assert.ok((count?.n ?? 0) > 0, 'the runtime role still reads its tenant\'s trail');
  });
});
