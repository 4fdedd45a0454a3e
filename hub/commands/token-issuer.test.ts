import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { AuditRecord } from '../../models/index.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { createCliToken } from '../cli/tokens-command.js';

interface ErrorBody {
  error: { code: string; message: string };
}

const hub: TestHub = await startTestHub();
after(() => hub.stop());

describe('token issuing: one command for the API and the CLI', () => {
  const tokenAudit = async (tokenId: string) => {
    const rows = await AuditRecord.query(hub.db.knex).where({ tenant_id: hub.tenantId, subject_id: tokenId, action: 'token.created' });
    assert.equal(rows.length, 1);
    return rows[0]!;
  };

  test('a token that would be expired at creation is refused with 400 naming expiresAt', async () => {
    const past = await hub.admin.post<ErrorBody>('/v1/tokens', { name: 'stale', role: 'central_reviewer', expiresAt: '2020-01-01T00:00:00Z' }, 400);
    assert.equal(past.error.code, 'validation_failed');
    assert.match(past.error.message, /expiresAt must be in the future/);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await hub.admin.post('/v1/tokens', { name: 'fresh', role: 'central_reviewer', expiresAt: future }, 201);
  });

  test('the CLI refuses an expired token too', async () => {
    await assert.rejects(createCliToken(hub.db.knex, { tenant: hub.tenantId, role: 'central_reviewer', name: 'cli', expires: '2020-01-01T00:00:00Z' }), { code: 'validation_failed' });
  });

  test('a CLI token is audited with the same shape as an API token, by the system actor', async () => {
    const store = await hub.createStore();
    const api = await hub.admin.post<{ id: string }>('/v1/tokens', { name: 'staff', role: 'store_staff', storeIds: [store.id] });
    const cli = await createCliToken(hub.db.knex, { tenant: hub.tenantId, role: 'store_staff', store: [store.id], name: 'staff' });
    const [fromApi, fromCli] = [await tokenAudit(api.id), await tokenAudit(cli.tokenId)];
    assert.equal(fromCli.actorType, 'system');
    assert.equal(fromCli.actorId, 'vigil-cli');
    assert.equal(fromCli.subjectType, fromApi.subjectType);
    assert.deepEqual(Object.keys(fromCli.after as object).sort(), Object.keys(fromApi.after as object).sort());
    assert.deepEqual((fromCli.after as { storeIds: string[] }).storeIds, [store.id]);
    const minted = await hub.admin.get<{ data: Array<{ id: string; createdAt: string }> }>('/v1/tokens?limit=200');
    assert.ok(minted.data.some((t) => t.id === cli.tokenId), 'the CLI token is listed by the API');
  });

  test('the CLI refuses a store of another tenant and an unknown role, and mints nothing', async () => {
    const other = await hub.createTenant();
    const foreignRegion = await other.admin.post<{ id: string }>('/v1/regions', { name: 'Foreign' });
    const foreign = await other.admin.post<{ id: string }>('/v1/stores', { regionId: foreignRegion.id, name: 'Foreign', code: 'F1', timezone: 'Europe/Berlin' });
    const before = await AuditRecord.query(hub.db.knex).where({ tenant_id: hub.tenantId, action: 'token.created' }).resultSize();
    await assert.rejects(createCliToken(hub.db.knex, { tenant: hub.tenantId, role: 'store_staff', store: [foreign.id], name: 'sneaky' }), { code: 'not_found' });
    await assert.rejects(createCliToken(hub.db.knex, { tenant: hub.tenantId, role: 'superuser', name: 'x' }), { code: 'validation_failed' });
    const afterCount = await AuditRecord.query(hub.db.knex).where({ tenant_id: hub.tenantId, action: 'token.created' }).resultSize();
    assert.equal(afterCount, before);
  });
});
