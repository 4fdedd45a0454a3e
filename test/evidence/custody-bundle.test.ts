import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { auditKeysFor, checkpointTargets, exportCheckpoints, type CommandContext } from '../../hub/audit/index.js';
import { checkAuditExtract, evidenceSecretsFor, keyIdOf, publishedKeySet, resealSigningKeys, rotateSigningKey, tenantTransaction, verifyBundle } from '../../hub/evidence/index.js';
import { parsePinnedKeys, type PinnedKey } from '../../hub/evidence/pinned-keys.js';
import { flipped, manifestOf, readZip, resign, writeZip, type ZipEntry } from './bundle-zip.js';
import { makeClip, makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

async function vigil(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin/vigil.mjs'), ...args], { cwd: repoRoot, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

interface Chain {
  shard: number;
  head: { seq: number; hash: string };
  checkpoint: { seq: number; headHash: string } | null;
  links: Array<{ seq: number; id: string; full: boolean }>;
}
interface Extract {
  format: string;
  chains: Chain[];
  records: Array<{ shard: number; seq: number; action: string; subjectId: string; clientAddress: string | null; after: unknown }>;
}
/** The extract with its shard-0 chain replaced (a tenant with one writer at a time has that chain only). */
const withChain = (extract: Extract, edit: (chain: Chain) => Chain): Extract => ({ ...extract, chains: extract.chains.map((c) => (c.shard === 0 ? edit(c) : c)) });

describe('evidence custody: bundles that hold up', () => {
  let world: EvidenceWorld;
  let keys: PinnedKey[];
  let redactedPath: string;
  let plainPath: string;
  let entries: ZipEntry[];
  let clipId: string;

  async function exportTo(name: string, body: Record<string, unknown>): Promise<string> {
    const exported = await world.hub.admin.post<{ url: string }>(`/v1/incidents/${world.incidentId}/exports`, body);
    const path = join(world.dir, name);
    await writeFile(path, Buffer.from(await (await fetch(`${world.hub.url}${exported.url}`)).arrayBuffer()));
    return path;
  }
  const tamperedPath = async (name: string, list: ZipEntry[]) => {
    const path = join(world.dir, name);
    await writeZip(path, list);
    return path;
  };
  const extractOf = (list: ZipEntry[]) => JSON.parse(list.find((e) => e.name === 'audit.json')?.data.toString() ?? '{}') as Extract;

  before(async () => {
    world = await startEvidenceWorld();
    const uploaded = await uploadEvidence(world, await makeClip(world.dir));
    assert.equal(uploaded.response.status, 204);
    clipId = uploaded.evidenceId ?? '';
    assert.equal((await uploadEvidence(world, await makeSnapshot(world.dir), { kind: 'snapshot' })).response.status, 204);
    // A viewer plays the clip: their address and user agent land in the trail.
    const link = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${clipId}/links`, {});
    assert.equal((await fetch(`${world.hub.url}${link.url}`, { headers: { 'user-agent': 'CaseViewer/1.0' } })).status, 200);
    // A signed checkpoint of the chain, outside the database, that the extract anchors to.
    const config = world.hub.running.config;
    await exportCheckpoints(world.hub.db.knex, { keyring: auditKeysFor(world.hub.db.knex), targets: checkpointTargets(config.audit, config.dataDir), exported: new Map() });
    const custody = { caseNumber: 'PD-2026-118', recipient: 'Det. R. Alvarez, Metro PD', purpose: 'criminal investigation' };
    redactedPath = await exportTo('redacted.zip', custody);
    plainPath = await exportTo('plain.zip', { ...custody, redacted: false });
    entries = await readZip(plainPath);
    keys = parsePinnedKeys(JSON.stringify(await world.hub.admin.get('/v1/evidence/keys')), 'keys.json');
  });
  after(() => world.stop());

  test('the manifest records case, recipient, purpose, store time zone and camera; events and the audit extract ride along; the export is audited with them', async () => {
    const manifest = manifestOf(entries) as unknown as { custody: { caseNumber: string; recipient: string; purpose: string; store: { timeZone: string }; cameras: Array<{ id: string; clockOffsetMs: number | null }>; eventIds: string[] } };
    assert.equal(manifest.custody.caseNumber, 'PD-2026-118');
    assert.equal(manifest.custody.recipient, 'Det. R. Alvarez, Metro PD');
    assert.equal(manifest.custody.purpose, 'criminal investigation');
    assert.match(manifest.custody.store.timeZone, /\//);
    assert.deepEqual(manifest.custody.cameras.map((c) => c.id), [world.cameraId]);
    assert.equal(manifest.custody.cameras[0]?.clockOffsetMs, null, 'no offset measured: said so, not guessed');
    const events = JSON.parse(entries.find((e) => e.name === 'events.json')?.data.toString() ?? '{}') as { events: Array<{ id: string }> };
    assert.equal(events.events.length, 1);
    assert.deepEqual(manifest.custody.eventIds, events.events.map((e) => e.id));
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; after: { caseNumber?: string; recipient?: string; purpose?: string } }> }>('/v1/audit?limit=200');
    const exported = audit.data.find((r) => r.action === 'incident.exported_unredacted');
    assert.deepEqual([exported?.after.caseNumber, exported?.after.recipient, exported?.after.purpose], ['PD-2026-118', 'Det. R. Alvarez, Metro PD', 'criminal investigation']);
  });

  test('the audit extract is contiguous to the chain head, anchored to the checkpoint, and verifies offline', async () => {
    const extract = extractOf(entries);
    assert.equal(extract.format, 'vigil-audit-extract/2');
    assert.deepEqual(extract.chains.map((c) => c.shard), [0], 'one writer at a time: one chain');
    const [chain] = extract.chains;
    assert.ok(chain?.checkpoint, 'anchored to the latest checkpoint');
    assert.ok(chain.links.some((l) => l.seq === chain.checkpoint?.seq));
    assert.equal(chain.links.at(-1)?.seq, chain.head.seq);
    assert.ok(extract.records.every((r) => r.shard === 0));
    assert.ok(extract.records.some((r) => r.action === 'evidence.received' && r.subjectId === clipId));
    assert.deepEqual(checkAuditExtract(extract), []);
    for (const path of [plainPath, redactedPath]) {
      const report = await verifyBundle(path, { keys });
      assert.equal(report.ok, true, JSON.stringify(report.problems));
    }
  });

  test('the extract continuity check finds a removed record, a missing full record and a rewritten checkpointed record', () => {
    const extract = extractOf(entries);
    const chain = extract.chains[0];
    assert.ok(chain);
    const middle = chain.links[Math.floor(chain.links.length / 2)];
    assert.ok(middle && chain.links.length >= 3);
    const gap = checkAuditExtract(withChain(extract, (c) => ({ ...c, links: c.links.filter((l) => l.seq !== middle.seq) })));
    assert.ok(gap.some((p) => p.includes(`record(s) ${middle.seq}..${middle.seq} missing`)), gap.join('\n'));
    const full = extract.records[0];
    assert.ok(full);
    const dropped = checkAuditExtract({ ...extract, records: extract.records.slice(1) });
    assert.ok(dropped.some((p) => p.includes(`record ${full.seq}`) && p.includes('missing from the extract')), dropped.join('\n'));
    const cp = chain.checkpoint;
    assert.ok(cp);
    const rewritten = checkAuditExtract(withChain(extract, (c) => ({ ...c, checkpoint: { ...cp, headHash: 'f'.repeat(64) } })));
    assert.ok(rewritten.some((p) => p.includes('signature does not verify')), rewritten.join('\n'));
    assert.ok(rewritten.some((p) => p.includes(`record ${cp.seq} no longer has the hash`)), rewritten.join('\n'));
  });

  test('a redacted bundle drops viewers\' addresses and user agents from the extract; the unredacted one keeps them', async () => {
    const plain = JSON.stringify(extractOf(entries));
    assert.match(plain, /CaseViewer\/1\.0/);
    const redacted = extractOf(await readZip(redactedPath));
    assert.doesNotMatch(JSON.stringify(redacted), /CaseViewer|userAgent/);
    assert.ok(redacted.records.every((r) => r.clientAddress === null));
    assert.ok(redacted.records.some((r) => r.action === 'evidence.viewed'), 'the viewing itself stays on record');
  });

  test('a ZIP with two entries of one name fails verify: the tampered copy first is what a viewer would open', async () => {
    const clip = entries.find((e) => e.name.endsWith('.mp4'));
    assert.ok(clip);
    const doubled = [{ name: clip.name, data: flipped(clip.data) }, ...entries];
    const report = await verifyBundle(await tamperedPath('doubled.zip', doubled), { keys });
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((p) => p.path === clip.name && /duplicate entry name: 2 entries/.test(p.problem)), JSON.stringify(report.problems));
    assert.ok(report.problems.some((p) => p.path === clip.name && /SHA-256 mismatch/.test(p.problem)), 'the first copy is the one checked');
    const caseBlind = [...entries, { name: clip.name.toUpperCase(), data: clip.data }];
    assert.ok((await verifyBundle(await tamperedPath('case.zip', caseBlind), { keys })).problems.some((p) => /duplicate entry name/.test(p.problem)));
  });

  test('entries outside the manifest and path tricks (.., absolute, backslashes) fail verify by name', async () => {
    const tricks = ['../evil.mp4', '/etc/evil', 'evidence\\evil.mp4', 'C:/evil.mp4'];
    const report = await verifyBundle(await tamperedPath('tricks.zip', [...entries, ...tricks.map((name) => ({ name, data: Buffer.from('x') }))]), { keys });
    assert.equal(report.ok, false);
    for (const name of tricks) {
      assert.ok(report.problems.some((p) => p.path === name && /unsafe entry name/.test(p.problem)), `${name}: ${JSON.stringify(report.problems)}`);
      assert.ok(report.problems.some((p) => p.path === name && /not listed in the signed manifest/.test(p.problem)), name);
    }
  });

  test('a bundle re-signed with another key fails without a pinned key unless --trust-bundle-key, and always against the pinned key', async () => {
    const clip = entries.find((e) => e.name.endsWith('.mp4'));
    assert.ok(clip);
    const path = await tamperedPath('resigned.zip', resign(entries.map((e) => (e.name === clip.name ? { name: e.name, data: flipped(e.data) } : e))));
    const unpinned = await verifyBundle(path);
    assert.equal(unpinned.ok, false);
    assert.ok(unpinned.problems.some((p) => p.path === 'manifest.sig' && /checked only against the key inside the bundle/.test(p.problem)));
    const pinned = await verifyBundle(path, { keys });
    assert.equal(pinned.ok, false);
    assert.ok(pinned.problems.some((p) => /which is not in the pinned key set/.test(p.problem)));
    // Trusting the bundle's key proves integrity only: the edited unredacted clip is still not the original.
    const trusted = await verifyBundle(path, { trustBundleKey: true });
    assert.ok(trusted.problems.some((p) => p.path === clip.name && /not the original/.test(p.problem)), JSON.stringify(trusted.problems));
    const untouched = await verifyBundle(await tamperedPath('resigned-clean.zip', resign(entries)), { trustBundleKey: true });
    assert.equal(untouched.ok, true, JSON.stringify(untouched.problems));
    assert.equal(untouched.keyPinned, false);
  });

  test('a size-only edit is reported as a size mismatch, not as a hash mismatch with equal hashes', async () => {
    const clip = entries.find((e) => e.name.endsWith('.jpg'));
    assert.ok(clip);
    const path = await tamperedPath('size.zip', resign(entries, (m) => {
      const file = m.files.find((f) => f.path === clip.name);
      if (file) file.bytes += 1;
    }));
    const report = await verifyBundle(path, { trustBundleKey: true });
    const problem = report.problems.find((p) => p.path === clip.name);
    assert.equal(problem?.problem, `size mismatch (manifest ${clip.data.length + 1} bytes, file ${clip.data.length} bytes)`);
    const grown = await verifyBundle(await tamperedPath('grown.zip', entries.map((e) => (e.name === clip.name ? { name: e.name, data: Buffer.concat([e.data, Buffer.from([0])]) } : e))), { keys });
    assert.match(grown.problems.find((p) => p.path === clip.name)?.problem ?? '', /^size mismatch \(manifest \d+ bytes, file \d+ bytes\)$/);
  });

  test('key rotation: new bundles carry the new kid, old ones still verify against the published key set; the private keys are sealed', async () => {
    const knex = world.hub.db.knex;
    const tenantId = world.hub.tenantId;
    const ctx = (trx: CommandContext['trx']): CommandContext => ({ actor: { type: 'system', id: 'test' }, tenantId, requestId: null, clientAddress: null, trx });
    const rotated = await tenantTransaction(knex, tenantId, (trx) => rotateSigningKey(ctx(trx)), { asOwner: true });
    assert.equal(rotated.retiredKeyId, manifestOf(entries).keyId);
    const after = await exportTo('after-rotation.zip', {});
    assert.equal(manifestOf(await readZip(after)).keyId, rotated.keyId);
    const set = await tenantTransaction(knex, tenantId, (trx) => publishedKeySet(trx, tenantId), { asOwner: true });
    assert.deepEqual(set.keys.map((k) => [k.keyId, k.state]), [[rotated.retiredKeyId, 'retired'], [rotated.keyId, 'active']]);
    const all = parsePinnedKeys(JSON.stringify(set), 'set.json');
    for (const path of [plainPath, after]) assert.equal((await verifyBundle(path, { keys: all })).ok, true, path);
    // The published key set as the API serves it: both keys by kid, so the bundle signed before the rotation verifies.
    const routed = await world.hub.admin.get<{ keys: Array<{ keyId: string; state: string; retiredAt: string | null }> }>('/v1/evidence/keys');
    assert.deepEqual(routed.keys.map((k) => [k.keyId, k.state]), [[rotated.retiredKeyId, 'retired'], [rotated.keyId, 'active']]);
    assert.ok(routed.keys[0]?.retiredAt);
    const fromRoute = parsePinnedKeys(JSON.stringify(routed), '/v1/evidence/keys');
    for (const path of [plainPath, after]) assert.equal((await verifyBundle(path, { keys: fromRoute })).ok, true, `${path} against the key set of the route`);
    const byUrl = await vigil('evidence', 'verify', plainPath, '--key', `${world.hub.url}/v1/evidence/keys`, '--token', world.hub.adminToken);
    assert.equal(byUrl.code, 0, byUrl.stdout);
    assert.match(byUrl.stdout, new RegExp(`VERIFIED .* signed with key ${rotated.retiredKeyId} \\(pinned\\)`));
    // The CLI: a JSON key set with several keys picks the bundle's by kid; no key at all is not a pass.
    const setFile = join(world.dir, 'key-set.json');
    await writeFile(setFile, JSON.stringify(set));
    const [old, fresh, unpinned, trusted] = await Promise.all([
      vigil('evidence', 'verify', plainPath, '--key', setFile), vigil('evidence', 'verify', after, '--key', setFile),
      vigil('evidence', 'verify', plainPath), vigil('evidence', 'verify', plainPath, '--trust-bundle-key'),
    ]);
    assert.equal(old.code, 0, old.stdout);
    assert.match(old.stdout, new RegExp(`VERIFIED .* signed with key ${rotated.retiredKeyId} \\(pinned\\)`));
    assert.match(old.stdout, /CUSTODY {2}case PD-2026-118, recipient Det\. R\. Alvarez, Metro PD, purpose criminal investigation/);
    assert.equal(fresh.code, 0, fresh.stdout);
    assert.equal(unpinned.code, 2, unpinned.stdout);
    assert.match(unpinned.stdout, /FAILED {2}manifest\.sig: checked only against the key inside the bundle/);
    assert.equal(trusted.code, 0, trusted.stdout);
    assert.match(trusted.stdout, /the bundle's own key, trusted on request/);
    assert.equal((await verifyBundle(plainPath, { keys: all.filter((k) => k.keyId === rotated.keyId) })).ok, false, 'the new key alone does not verify the old bundle');
    const rows = await tenantTransaction(knex, tenantId, (trx) => trx('evidence_signing_keys').where({ tenant_id: tenantId }).select<Array<{ private_key_sealed: string }>>('private_key_sealed'), { asOwner: true });
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.match(row.private_key_sealed, /^enc:v1:/);
      assert.doesNotMatch(row.private_key_sealed, /PRIVATE KEY|MC4CAQAw/);
    }
    const legacy = await tenantTransaction(knex, tenantId, (trx) => trx('evidence_keys').where({ tenant_id: tenantId }).first<{ private_key_pem: string | null }>('private_key_pem'), { asOwner: true });
    assert.equal(legacy.private_key_pem, null);
    const audit = await world.hub.admin.get<{ data: Array<{ action: string }> }>('/v1/audit?limit=200');
    assert.ok(audit.data.some((r) => r.action === 'evidence.signing_key_rotated'));
  });

  test('a signing key left in plaintext (as the migration moves it) is sealed by a reseal, and opens to the same key', async () => {
    const knex = world.hub.db.knex;
    const tenantId = world.hub.tenantId;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const plain = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyId = keyIdOf(publicKeyPem);
    const stored = await tenantTransaction(knex, tenantId, async (trx) => {
      await trx('evidence_signing_keys').insert({ tenant_id: tenantId, key_id: keyId, public_key_pem: publicKeyPem, private_key_sealed: plain, state: 'retired', retired_at: new Date() });
      assert.ok((await resealSigningKeys(trx, tenantId)) >= 1);
      return trx('evidence_signing_keys').where({ tenant_id: tenantId, key_id: keyId }).first<{ private_key_sealed: string }>('private_key_sealed');
    }, { asOwner: true });
    assert.match(stored.private_key_sealed, /^enc:v1:/);
    assert.equal(evidenceSecretsFor(knex).open(stored.private_key_sealed), plain);
  });
});
