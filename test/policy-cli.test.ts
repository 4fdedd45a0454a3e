import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

const VIGIL = join(import.meta.dirname, '..', 'bin', 'vigil.mjs');
const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [VIGIL, ...args], { env: { ...process.env, ...env, VIGIL_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('vigil policy lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-policy-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid file passes; an invalid one lists each problem with its path and exits 1', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'role: store_staff\nmode: replace\nrules:\n  - action: [read, transition]\n    subject: Incident\n    conditions:\n      storeId: { $in: "${user.storeIds}" }\n');
    const ok = run(['policy', 'lint', good]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /OK \(1 rules for store_staff, mode replace\)/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ role: 'store_staff', rules: [{ action: 'read', subject: 'Incident', conditions: { storeId: { $exists: true } } }, { action: 'read', subject: 'Gadget' }] }));
    const refused = run(['policy', 'lint', bad]);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /rules\[0\]\.conditions\.storeId\.\$exists: unknown operator/);
    assert.match(refused.out, /rules\[1\]\.subject/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'role: [unclosed');
    assert.match(run(['policy', 'lint', broken]).out, /not valid YAML/);
  });
});

describe('vigil policy explain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-explain-'));
  let hub: TestHub;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  before(async () => {
    hub = await startTestHub({}, { pgliteDir: dir });
    const storeA = await hub.createStore();
    const storeB = await hub.createStore();
    const camA = await hub.createCamera(storeA.id);
    const camB = await hub.createCamera(storeB.id);
    const plugin = hub.admin.as(await hub.createPluginToken([storeA.id, storeB.id]));
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camA.id, storeId: storeA.id }), buildEvent({ cameraId: camB.id, storeId: storeB.id })] }, 200);
    ids.incidentA = body.results[0]!.incidentId;
    ids.incidentB = body.results[1]!.incidentId;
    const staff = await hub.admin.post<{ principalId: string }>('/v1/tokens', { name: 'staff', role: 'store_staff', storeIds: [storeA.id] });
    ids.staff = staff.principalId;
    env = (hub.db as unknown as { env: Record<string, string> }).env;
    await hub.running.stop();
    // Let the CLI open the database: PGlite releases its directory lock, PostgreSQL keeps the database.
    if (process.env.DATABASE_URL) await hub.db.knex.destroy();
    else await hub.db.close();
  });
  after(async () => {
    if (process.env.DATABASE_URL) await hub.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('names the rule that allowed, and says why another store is denied', () => {
    const allowed = run(['policy', 'explain', '--user', ids.staff!, '--action', 'read', '--subject', 'Incident', '--id', ids.incidentA!], env);
    assert.equal(allowed.code, 0, allowed.out);
    assert.match(allowed.out, /ALLOWED/);
    assert.match(allowed.out, /"storeId":\{"\$in":\["sto_/);
    assert.match(allowed.out, /from built-in rules of store_staff/);
    const denied = run(['policy', 'explain', '--user', ids.staff!, '--action', 'read', '--subject', 'Incident', '--id', ids.incidentB!], env);
    assert.equal(denied.code, 3, denied.out);
    assert.match(denied.out, /DENIED/);
  });
});
