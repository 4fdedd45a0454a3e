import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChains } from '../hub/audit/index.js';
import { connectDatabase } from '../hub/db/index.js';
import { buildEvent } from './support/factories.js';
import { freshDatabase } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

const VIGIL = join(import.meta.dirname, '..', 'bin', 'vigil.mjs');

function vigil(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [VIGIL, ...args], { env: { ...process.env, ...env, VIGIL_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('audit chain (API)', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
    const store = await hub.createStore();
    const camera = await hub.createCamera(store.id);
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, 200);
    await hub.admin.post(`/v1/incidents/${body.results[0]!.incidentId}/transitions`, { to: 'acknowledged' }, 200);
  });
  after(() => hub.stop());

  test('every mutation is in the chain with actor, request id and before/after', async () => {
    const auditor = hub.admin.as(await hub.createToken('auditor'));
    const page = await auditor.get<{ data: Array<{ action: string; requestId: string | null; actorId: string; before: unknown; after: unknown }> }>('/v1/audit?limit=200');
    const actions = page.data.map((r) => r.action);
    for (const action of ['tenant.created', 'region.created', 'store.created', 'camera.created', 'token.created', 'incident.created', 'events.ingested', 'incident.acknowledged']) {
      assert.ok(actions.includes(action), `missing ${action}`);
    }
    const ack = page.data.find((r) => r.action === 'incident.acknowledged');
    assert.match(ack?.requestId ?? '', /^req_/);
    assert.deepEqual((ack?.before as { state: string }).state, 'new');
    const reports = await verifyAuditChains(hub.db.knex, hub.tenantId);
    assert.equal(reports[0]?.ok, true);
  });

  test('an edited, a reordered and a deleted record are each named', async () => {
    const knex = hub.db.knex;
    const where = (seq: number) => knex('audit_records').where({ tenant_id: hub.tenantId, seq });
    const original = await where(3).first<{ action: string }>();
    await where(3).update({ action: 'store.renamed' });
    let [report] = await verifyAuditChains(knex, hub.tenantId);
    assert.equal(report?.problem?.kind, 'edited');
    assert.equal(report?.problem?.seq, 3);
    await where(3).update({ action: original?.action });
    [report] = await verifyAuditChains(knex, hub.tenantId);
    assert.equal(report?.ok, true, 'restoring the edit restores the chain');

    // Swap two records' positions (seq 4 and 5), as someone reordering history would.
    await where(4).update({ seq: -4 });
    await where(5).update({ seq: 4 });
    await where(-4).update({ seq: 5 });
    [report] = await verifyAuditChains(knex, hub.tenantId);
    assert.equal(report?.problem?.kind, 'inserted_or_reordered');
    assert.equal(report?.problem?.seq, 4);
    await where(4).update({ seq: -4 });
    await where(5).update({ seq: 4 });
    await where(-4).update({ seq: 5 });

    await where(5).delete();
    [report] = await verifyAuditChains(knex, hub.tenantId);
    assert.equal(report?.problem?.kind, 'deleted');
    assert.equal(report?.problem?.seq, 6);
  });
});

describe('vigil audit verify (CLI)', () => {
  let dir: string;
  let env: Record<string, string>;
  let closeDb: () => Promise<void> = async () => undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
    if (process.env.DATABASE_URL) {
      const db = await freshDatabase();
      const url = (db.knex.client.config as { connection: { connectionString: string } }).connection.connectionString;
      await db.knex.destroy();
      env = { DATABASE_URL: url, VIGIL_DATA_DIR: dir };
      closeDb = () => db.close();
    } else {
      env = { VIGIL_DATA_DIR: dir, DATABASE_URL: '' };
    }
  });
  after(async () => {
    await closeDb().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports OK, then names the record after one is edited directly in the database', async () => {
    const created = vigil(['tenants', 'create', '--name', 'Audit Retail', '--json'], env);
    assert.equal(created.code, 0, created.out);
    const { tenantId } = JSON.parse(created.out.trim().split('\n').pop() ?? '{}') as { tenantId: string };
    const ok = vigil(['audit', 'verify'], env);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`OK\\s+${tenantId}\\s+2 records`));
    const db = connectDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: dir });
    const record = await db.knex('audit_records').where({ tenant_id: tenantId, seq: 2 }).first();
    await db.knex('audit_records').where({ tenant_id: tenantId, seq: 2 }).update({ after: JSON.stringify({ role: 'auditor' }) });
    await db.close();
    const broken = vigil(['audit', 'verify', '--tenant', tenantId], env);
    assert.equal(broken.code, 2, broken.out);
    assert.match(broken.out, new RegExp(`BROKEN\\s+${tenantId}\\s+edited: record 2 \\(${record.id}\\) was edited`));
  });

  test('a CLI command says plainly when a running hub holds the embedded database', { skip: process.env.DATABASE_URL ? 'PostgreSQL has no single-process lock' : false }, async () => {
    const db = connectDatabase({ dataDir: dir });
    await db.knex.raw('SELECT 1');
    try {
      const refused = vigil(['audit', 'verify'], env);
      assert.equal(refused.code, 1);
      assert.match(refused.out, /database_locked: the embedded database in .* is in use by process \d+/);
      assert.match(refused.out, /use PostgreSQL|DATABASE_URL/);
    } finally {
      await db.close();
    }
  });
});
