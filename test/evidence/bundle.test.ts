import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { verifyBundle } from '../../hub/evidence/index.js';
import { parsePinnedKeys } from '../../hub/evidence/pinned-keys.js';
import { makeClip, makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

const run = promisify(execFile);
const repoRoot = new URL('../../', import.meta.url).pathname;

async function vigil(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(repoRoot, 'bin/vigil.mjs'), ...args], { cwd: repoRoot, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function readZip(path: string): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: Array<{ name: string; data: Buffer }> = [];
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => { out.push({ name: entry.fileName, data: Buffer.concat(chunks) }); zip.readEntry(); });
      }));
      zip.readEntry();
    });
  });
}

async function writeZip(path: string, entries: Array<{ name: string; data: Buffer }>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  await writeFile(path, Buffer.concat(chunks));
}

describe('signed evidence bundles', () => {
  let world: EvidenceWorld;
  let bundlePath: string;
  let keyPath: string;
  before(async () => {
    world = await startEvidenceWorld();
    assert.equal((await uploadEvidence(world, await makeClip(world.dir))).response.status, 204);
    assert.equal((await uploadEvidence(world, await makeSnapshot(world.dir), { kind: 'snapshot' })).response.status, 204);
    const exported = await world.hub.admin.post<{ url: string; sha256: string; redacted: boolean }>(`/v1/incidents/${world.incidentId}/exports`, {});
    assert.equal(exported.redacted, true);
    const zip = Buffer.from(await (await fetch(`${world.hub.url}${exported.url}`)).arrayBuffer());
    bundlePath = join(world.dir, 'bundle.zip');
    await writeFile(bundlePath, zip);
    const keys = await world.hub.admin.get<{ keys: Array<{ publicKeyPem: string }> }>('/v1/evidence/keys');
    keyPath = join(world.dir, 'tenant-key.pem');
    await writeFile(keyPath, keys.keys[0]?.publicKeyPem ?? '');
  });
  after(() => world.stop());

  test('a bundle verifies with the tenant key, by file and by URL, and holds clips, snapshots, incident and audit', async () => {
    const result = await vigil('evidence', 'verify', bundlePath, '--key', keyPath);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /VERIFIED/);
    const byUrl = await vigil('evidence', 'verify', bundlePath, '--key', `${world.hub.url}/v1/evidence/keys`, '--token', world.hub.adminToken);
    assert.equal(byUrl.code, 0, byUrl.stdout);
    const names = (await readZip(bundlePath)).map((e) => e.name);
    for (const expected of ['manifest.json', 'manifest.sig', 'incident.json', 'audit.json']) assert.ok(names.includes(expected), expected);
    assert.ok(names.some((n) => n.endsWith('.mp4')) && names.some((n) => n.endsWith('.jpg')));
    const audit = JSON.parse((await readZip(bundlePath)).find((e) => e.name === 'audit.json')?.data.toString() ?? '{}') as { records: Array<{ action: string }> };
    assert.ok(audit.records.some((r) => r.action === 'evidence.received'));
  });

  test('flipping one byte of any file or of the manifest fails verification and names it', async () => {
    const entries = await readZip(bundlePath);
    const keyPem = await readFile(keyPath, 'utf8');
    const flippedBundle = async (name: string) => {
      const path = join(world.dir, `tampered-${name.replace(/\//g, '_')}.zip`);
      await writeZip(path, entries.map((e) => {
        if (e.name !== name) return e;
        const data = Buffer.from(e.data);
        const at = Math.floor(data.length / 2);
        data[at] = (data[at] ?? 0) ^ 0x01;
        return { name: e.name, data };
      }));
      return path;
    };
    // Every file, through the verifier the CLI uses (fast, in-process)…
    for (const target of entries.filter((e) => e.name !== 'public-key.pem')) {
      const report = await verifyBundle(await flippedBundle(target.name), { keys: parsePinnedKeys(keyPem, 'tenant-key.pem') });
      assert.equal(report.ok, false, target.name);
      const named = target.name === 'manifest.sig' ? 'manifest.json' : target.name;
      assert.ok(report.problems.some((p) => p.path === named), `${target.name}: ${JSON.stringify(report.problems)}`);
    }
    // …and the real CLI as a child process for the manifest, a clip and a snapshot.
    const targets = ['manifest.json', ...entries.filter((e) => /\.(mp4|jpg)$/.test(e.name)).map((e) => e.name)];
    const results = await Promise.all(targets.map(async (name) => ({ name, result: await vigil('evidence', 'verify', await flippedBundle(name), '--key', keyPath) })));
    for (const { name, result } of results) {
      assert.equal(result.code, 2, `${name}: ${result.stdout}`);
      assert.match(result.stdout, new RegExp(`FAILED  ${name.replace(/\./g, '\\.')}`), result.stdout);
    }
  });

  test('a byte flipped inside the ZIP itself, or a key from elsewhere, is caught too', async () => {
    const raw = await readFile(bundlePath);
    const mp4 = raw.indexOf(Buffer.from('ftyp'));
    assert.ok(mp4 > 0);
    const tampered = Buffer.from(raw);
    tampered[mp4 + 5000] = (tampered[mp4 + 5000] ?? 0) ^ 0xff;
    await writeFile(join(world.dir, 'raw.zip'), tampered);
    const result = await vigil('evidence', 'verify', join(world.dir, 'raw.zip'), '--key', keyPath);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /FAILED {2}evidence\/evd_\w+\.mp4: SHA-256 mismatch/);
    const other = await world.hub.createTenant();
    const otherKeys = await other.admin.get<{ keys: Array<{ publicKeyPem: string }> }>('/v1/evidence/keys');
    await writeFile(join(world.dir, 'other.pem'), otherKeys.keys[0]?.publicKeyPem ?? '');
    const wrongKey = await vigil('evidence', 'verify', bundlePath, '--key', join(world.dir, 'other.pem'));
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.stdout, /FAILED {2}manifest\.json: signed with key [0-9a-f]{16}…, which is not in the pinned key set/);
  });

  test('store staff get 404 exporting another store\'s incident; unredacted export needs the unredact permission and is audited', async () => {
    const staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
    const refused = await staff.post<{ error: { code: string } }>(`/v1/incidents/${world.otherIncidentId}/exports`, {}, 404);
    assert.equal(refused.error.code, 'not_found');
    const reviewer = world.hub.admin.as(await world.hub.createToken('central_reviewer'));
    await reviewer.post(`/v1/incidents/${world.incidentId}/exports`, { redacted: false }, 403);
    const plain = await world.hub.admin.post<{ redacted: boolean; url: string }>(`/v1/incidents/${world.incidentId}/exports`, { redacted: false });
    assert.equal(plain.redacted, false);
    const audit = await world.hub.admin.get<{ data: Array<{ action: string }> }>('/v1/audit?limit=200');
    assert.ok(audit.data.some((r) => r.action === 'incident.exported_unredacted'));
    assert.ok(audit.data.some((r) => r.action === 'evidence.downloaded'));
  });
});
