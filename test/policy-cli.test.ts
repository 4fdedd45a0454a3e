import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newId } from '../contracts/index.js';
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
    const widening = join(dir, 'widening.yaml');
    writeFileSync(widening, 'role: store_staff\nrules:\n  - action: read\n    subject: Incident\n    conditions: { type: scan_avoidance }\n  - action: manage\n    subject: all\n');
    const warned = run(['policy', 'lint', widening]);
    assert.equal(warned.code, 0, warned.out);
    assert.match(warned.out, /warning: rules\[0\]: grants beyond the built-in scope of store_staff/);
    assert.match(warned.out, /warning: rules\[1\]: grants manage/);
    const choices = join(dir, 'choices.json');
    writeFileSync(choices, JSON.stringify({ role: 'staff', mode: 'merge', rules: [{ action: 'peek', subject: 'Gadget' }] }));
    const listed = run(['policy', 'lint', choices]);
    assert.match(listed.out, /role: unknown role "staff"; valid roles: store_staff/);
    assert.match(listed.out, /mode: unknown mode "merge"; valid modes: extend, replace/);
    assert.match(listed.out, /rules\[0\]\.action: unknown action; valid actions: manage, read/);
    assert.match(listed.out, /rules\[0\]\.subject: unknown subject; valid subjects: Region, Store/);
    assert.match(listed.out, /4 problem\(s\)/);
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
    ids.person = (await hub.admin.post<{ id: string }>('/v1/users', { email: 'till@example.com', role: 'store_staff', storeIds: [storeB.id] })).id;
    ids.admin = (await hub.admin.get<{ data: Array<{ role: string; principalId: string }> }>('/v1/tokens')).data.find((t) => t.role === 'lp_admin')!.principalId;
    ids.tenant = hub.tenantId;
    // A lockout saved before the guards existed (the API refuses it now): lp_admin may no longer edit policies.
    await hub.db.knex('tenant_policies').insert({ tenant_id: hub.tenantId, id: newId('policy'), role: 'lp_admin', version: 1, mode: 'replace', rules: JSON.stringify([{ action: 'read', subject: 'Incident' }]), reason: 'legacy', created_by: 'legacy' });
    // The CLI opens the same database and the same data directory (where the hub keeps its audit keys).
    env = { ...(hub.db as unknown as { env: Record<string, string> }).env, VIGIL_DATA_DIR: dir };
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

  test('explains for a signed-in person (usr_) and for any subject; unknown names list the valid choices', () => {
    const person = run(['policy', 'explain', '--user', ids.person!, '--action', 'read', '--subject', 'Incident', '--id', ids.incidentB!], env);
    assert.equal(person.code, 0, person.out);
    assert.match(person.out, new RegExp(`ALLOWED: ${ids.person} \\(store_staff`));
    const other = run(['policy', 'explain', '--user', ids.person!, '--action', 'read', '--subject', 'Incident', '--id', ids.incidentA!], env);
    assert.equal(other.code, 3, other.out);
    assert.match(other.out, /only rules for other records grant it/);
    const typeLevel = run(['policy', 'explain', '--user', ids.person!, '--action', 'read', '--subject', 'AuditRecord'], env);
    assert.equal(typeLevel.code, 3, typeLevel.out);
    assert.match(typeLevel.out, /DENIED: .* may not read AuditRecord \(any record\): no rule of the role grants it/);
    const typo = run(['policy', 'explain', '--user', ids.person!, '--action', 'raed', '--subject', 'Incidents', '--id', ids.incidentA!], env);
    assert.notEqual(typo.code, 0);
    assert.match(typo.out, /unknown action raed; valid actions: manage, read/);
    assert.match(typo.out, /unknown subject Incidents; valid subjects: Region, Store/);
  });

  test('policy reset restores the built-in lp_admin rules after a lockout, audited', () => {
    const locked = run(['policy', 'explain', '--user', ids.admin!, '--action', 'update', '--subject', 'Policy', '--id', 'lp_admin'], env);
    assert.equal(locked.code, 3, locked.out);
    const records = (out: string) => Number(new RegExp(`OK +${ids.tenant} +(\\d+) records`).exec(out)?.[1]);
    const before = records(run(['audit', 'verify', '--tenant', ids.tenant!], env).out);
    const reset = run(['policy', 'reset', '--tenant', ids.tenant!, '--role', 'lp_admin', '--reason', 'lockout repair'], env);
    assert.equal(reset.code, 0, reset.out);
    assert.match(reset.out, /lp_admin policy reset to the built-in rules \(version 2\)/);
    const repaired = run(['policy', 'explain', '--user', ids.admin!, '--action', 'update', '--subject', 'Policy', '--id', 'lp_admin'], env);
    assert.equal(repaired.code, 0, repaired.out);
    assert.match(repaired.out, /from built-in rules of lp_admin/);
    assert.notEqual(run(['policy', 'reset', '--tenant', ids.tenant!, '--role', 'janitor'], env).code, 0);
    const verify = run(['audit', 'verify', '--tenant', ids.tenant!], env);
    assert.equal(verify.code, 0, verify.out);
    assert.equal(records(verify.out), before + 1, 'the reset wrote one audit record and the chain holds');
  });
});
