import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { withTenant } from '../../models/index.js';
import { freshDatabase } from '../../test/support/database.js';
import { migrateUp, type Database } from './index.js';

const WHO = "SELECT current_setting('vigil.tenant_id', true) AS tenant, current_setting('vigil.environment', true) AS environment, current_user AS role";
type Who = { tenant: string | null; environment: string | null; role: string };
const who = async (trx: Knex.Transaction): Promise<Who> => ((await trx.raw<{ rows: Who[] }>(WHO)).rows[0] as Who);

describe('withTenant binds every transaction, in the round trip of BEGIN where the client can', () => {
  let db: Database;
  const statements: string[] = [];
  before(async () => {
    db = await freshDatabase();
    await migrateUp(db.knex);
    db.knex.on('query', (q: { sql: string }) => statements.push(q.sql));
  });
  after(() => db.close());

  const run = async <T>(work: () => Promise<T>): Promise<{ value: T; sent: string[] }> => {
    statements.length = 0;
    const value = await work();
    return { value, sent: [...statements] };
  };

  it('binds tenant, environment and the runtime role; on PostgreSQL together with BEGIN', async () => {
    const { value, sent } = await run(() => withTenant(db.knex, 'ten_bound', {}, who));
    assert.deepEqual(value, { tenant: 'ten_bound', environment: 'production', role: 'vigil_runtime' });
    if (db.kind === 'postgres') {
      assert.match(sent[0] ?? '', /^BEGIN; SELECT set_config\('vigil\.tenant_id', 'ten_bound', true\)/);
      assert.equal(sent.filter((s) => s.includes('set_config')).length, 1, 'bound once, with BEGIN');
    } else {
      assert.ok(sent.some((s) => /^SELECT set_config\('vigil\.tenant_id', \$1/.test(s) || /^SELECT set_config\('vigil\.tenant_id', \?/.test(s)), sent.join('\n'));
    }
  });

  it('keeps the connecting role for owner work, in the environment named', async () => {
    const { value } = await run(() => withTenant(db.knex, 'ten_bound', { as: 'owner', environment: 'staging' }, who));
    assert.equal(value.tenant, 'ten_bound');
    assert.equal(value.environment, 'staging');
    assert.notEqual(value.role, 'vigil_runtime');
  });

  it('binds a value that cannot be written as a plain literal with parameters, never unbound', async () => {
    const { value, sent } = await run(() => withTenant(db.knex, "ten_'; DROP TABLE tenants; --", {}, who));
    assert.equal(value.tenant, "ten_'; DROP TABLE tenants; --");
    assert.equal(value.role, 'vigil_runtime');
    assert.ok(!sent.some((s) => s.includes('DROP TABLE tenants; --\'')), 'the value never reaches SQL text');
    assert.ok((await db.knex.raw('SELECT count(*) FROM tenants')) !== undefined, 'the tenants table is still there');
  });

  it('binds a nested transaction (a savepoint has no BEGIN) with a statement of its own', async () => {
    const { value } = await run(() => db.knex.transaction((outer) => withTenant(outer, 'ten_nested', {}, who)));
    assert.deepEqual(value, { tenant: 'ten_nested', environment: 'production', role: 'vigil_runtime' });
  });

  it('leaves nothing bound on the connection once the transaction ends', async () => {
    await withTenant(db.knex, 'ten_bound', {}, who);
    const rows = await Promise.all(Array.from({ length: 12 }, () => db.knex.raw<{ rows: Who[] }>(WHO)));
    for (const { rows: [row] } of rows) {
      assert.ok(!row?.tenant, 'no tenant outside a transaction');
      assert.notEqual(row?.role, 'vigil_runtime');
    }
  });
});
