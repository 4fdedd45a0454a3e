import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditKeysFor, chainRecords, checkpointTargets, exportCheckpoints, GENESIS_HASH, verifyAuditChains, writeAudit } from '../../hub/audit/index.js';
import { checkAuditExtract, verifyBundle } from '../../hub/evidence/index.js';
import { parsePinnedKeys } from '../../hub/evidence/pinned-keys.js';
import { AuditRecord } from '../../models/index.js';
import { databaseLabel } from '../support/database.js';
import { readZip } from './bundle-zip.js';
import { makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

// A busy tenant's audit trail spreads over several chains (shards): the bundle's extract carries each
// record with its shard and, per shard, the links and the checkpoint that prove that chain's continuity.

interface Link { seq: number; id: string; prevHash: string; hash: string; full: boolean }
interface Chain { shard: number; head: { seq: number; hash: string }; checkpoint: { shard?: number; seq: number; headHash: string } | null; checkpointPublicKeyPem: string | null; links: Link[] }
interface Extract {
  format: string;
  tenantId: string;
  subjects: string[];
  networkDetailsRemoved: boolean;
  chains: Chain[];
  records: Array<{ shard: number; seq: number; id: string; action: string; subjectId: string }>;
}

describe(`the audit extract of a tenant whose records land on several shards (${databaseLabel()})`, () => {
  let world: EvidenceWorld;
  let itemId: string;
  let extract: Extract;
  let bundle: string;
  const shardsWritten = new Map<number, string[]>();

  /**
   * Extends shard `shard` of the tenant, as writeAudit does for a writer that found the lower shards busy
   * (on PGlite, with one connection, writers never overlap, so the test places them there itself).
   */
  async function appendToShard(shard: number, subjects: string[]): Promise<void> {
    const knex = world.hub.db.knex;
    const tail = await knex('audit_records').where({ tenant_id: world.hub.tenantId, shard }).orderBy('seq', 'desc').first<{ seq: string; hash: string } | undefined>('seq', 'hash');
    const entries = subjects.map((subjectId) => ({ action: subjectId.startsWith('inc_') ? 'incident.commented' : subjectId.startsWith('evd_') ? 'evidence.viewed' : 'store.updated', subjectType: 'Test', subjectId }));
    const ctx = { actor: { type: 'system' as const, id: 'test' }, tenantId: world.hub.tenantId, requestId: null, clientAddress: null };
    const rows = await AuditRecord.query(knex).insert(chainRecords(ctx, { shard, seq: Number(tail?.seq ?? 0), hash: tail?.hash ?? GENESIS_HASH }, entries, auditKeysFor(knex).mac));
    shardsWritten.set(shard, [...(shardsWritten.get(shard) ?? []), ...rows.map((r) => r.id)]);
  }

  before(async () => {
    world = await startEvidenceWorld();
    const uploaded = await uploadEvidence(world, await makeSnapshot(world.dir), { kind: 'snapshot' });
    assert.equal(uploaded.response.status, 204);
    itemId = uploaded.evidenceId ?? '';
    // Shard 1: two records about the incident and one about something else; shard 2: one about the item.
    await appendToShard(1, [world.incidentId, 'str_unrelated000001', world.incidentId]);
    await appendToShard(2, ['str_unrelated000002', itemId]);
    const config = world.hub.running.config;
    const targets = checkpointTargets(config.audit, config.dataDir);
    await exportCheckpoints(world.hub.db.knex, { keyring: auditKeysFor(world.hub.db.knex), targets, exported: new Map() });
    // More after the checkpoints, on shard 1: links beyond the checkpoint up to the head.
    await appendToShard(1, ['str_unrelated000003', world.incidentId]);
    const [report] = await verifyAuditChains(world.hub.db.knex, world.hub.tenantId, { keyring: auditKeysFor(world.hub.db.knex), stores: targets.stores });
    assert.equal(report?.ok, true, JSON.stringify(report));

    const exported = await world.hub.admin.post<{ url: string }>(`/v1/incidents/${world.incidentId}/exports`, { redacted: false, caseNumber: 'SH-1' });
    bundle = join(world.dir, 'sharded.zip');
    await writeFile(bundle, Buffer.from(await (await fetch(`${world.hub.url}${exported.url}`)).arrayBuffer()));
    extract = JSON.parse((await readZip(bundle)).find((e) => e.name === 'audit.json')?.data.toString() ?? '{}') as Extract;
  });
  after(() => world.stop());

  const chainOf = (shard: number): Chain => {
    const chain = extract.chains.find((c) => c.shard === shard);
    assert.ok(chain, `shard ${shard} is in the extract`);
    return chain;
  };
  const edit = (shard: number, change: (chain: Chain) => Chain): Extract => ({ ...extract, chains: extract.chains.map((c) => (c.shard === shard ? change(c) : c)) });

  test('every shard comes with its head, its own checkpoint and contiguous links; each record names its shard', async () => {
    assert.equal(extract.format, 'vigil-audit-extract/2');
    assert.deepEqual(extract.chains.map((c) => c.shard), [0, 1, 2]);
    for (const chain of extract.chains) {
      assert.ok(chain.checkpoint, `shard ${chain.shard} is anchored to its checkpoint`);
      assert.equal(chain.checkpoint.shard, chain.shard === 0 ? undefined : chain.shard);
      assert.ok(chain.links.some((l) => l.seq === chain.checkpoint?.seq));
      assert.equal(chain.links.at(-1)?.seq, chain.head.seq);
      assert.ok(chain.checkpointPublicKeyPem);
    }
    assert.equal(chainOf(1).head.seq, 5);
    assert.ok(chainOf(1).checkpoint?.seq === 3, 'shard 1 was checkpointed before its last two records');
    // The records about the bundle on shards 1 and 2, in full, and the unrelated ones as links only.
    const about = (shard: number) => extract.records.filter((r) => r.shard === shard).map((r) => r.subjectId);
    assert.deepEqual(about(1), [world.incidentId, world.incidentId, world.incidentId]);
    assert.deepEqual(about(2), [itemId]);
    assert.deepEqual(chainOf(1).links.map((l) => l.full), [true, false, true, false, true]);
    assert.ok(extract.records.some((r) => r.shard === 0 && r.action === 'evidence.received' && r.subjectId === itemId));
    assert.ok(!extract.records.some((r) => r.subjectId.startsWith('str_unrelated')));
    assert.deepEqual(checkAuditExtract(extract), []);
    const keys = parsePinnedKeys(JSON.stringify(await world.hub.admin.get('/v1/evidence/keys')), 'keys');
    const report = await verifyBundle(bundle, { keys });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  test('a gap, a dropped record or a rewritten checkpoint on one shard is named with that shard', () => {
    const second = chainOf(1).links[1];
    assert.ok(second);
    const gap = checkAuditExtract(edit(1, (c) => ({ ...c, links: c.links.filter((l) => l.seq !== second.seq) })));
    assert.ok(gap.includes(`shard 1: chain broken: record(s) 2..2 missing between ${chainOf(1).links[0]?.id} and ${chainOf(1).links[2]?.id}`), gap.join('\n'));
    const onTwo = extract.records.find((r) => r.shard === 2);
    assert.ok(onTwo);
    const dropped = checkAuditExtract({ ...extract, records: extract.records.filter((r) => r !== onTwo) });
    assert.deepEqual(dropped, [`shard 2: record ${onTwo.seq} (${onTwo.id}) is about this bundle but missing from the extract`]);
    const cp = chainOf(2).checkpoint;
    assert.ok(cp);
    const rewritten = checkAuditExtract(edit(2, (c) => ({ ...c, checkpoint: { ...cp, headHash: 'f'.repeat(64) } })));
    assert.ok(rewritten.includes('shard 2: the audit checkpoint signature does not verify'), rewritten.join('\n'));
    assert.ok(rewritten.includes(`shard 2: record ${cp.seq} no longer has the hash the checkpoint of ${(cp as { at?: string }).at} signed: the chain was rewritten`), rewritten.join('\n'));
    // A checkpoint of another shard passed off as this chain's is refused by the shard it names.
    const swapped = checkAuditExtract(edit(2, (c) => ({ ...c, checkpoint: chainOf(1).checkpoint })));
    assert.ok(swapped.includes('shard 2: the checkpoint is of shard 1, not of this chain'), swapped.join('\n'));
    // A record moved to another shard's numbering no longer sits on its link.
    const moved = checkAuditExtract({ ...extract, records: extract.records.map((r) => (r === onTwo ? { ...r, shard: 1 } : r)) });
    assert.ok(moved.some((p) => p.startsWith('shard 1: record') && /does not match its chain link|outside the chain links/.test(p)), moved.join('\n'));
    // Leaving a whole shard out drops its records' links: they are outside the chain links.
    const withoutShard = checkAuditExtract({ ...extract, chains: extract.chains.filter((c) => c.shard !== 2) });
    assert.ok(withoutShard.includes(`shard 2: record ${onTwo.seq} (${onTwo.id}) is outside the chain links`), withoutShard.join('\n'));
  });

  test('an export made while another writer holds shard 0 is recorded on another shard, and the next bundle carries that record on it', { skip: databaseLabel() === 'pglite' ? 'PGlite has one connection: its writers never overlap' : false }, async () => {
    let held: () => void = () => undefined;
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => { held = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    const blocker = world.hub.db.knex.transaction(async (trx) => {
      await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [world.hub.tenantId]);
      const [record] = await writeAudit({ actor: { type: 'system', id: 'test' }, tenantId: world.hub.tenantId, requestId: null, clientAddress: null, trx }, { action: 'test.holding', subjectType: 'Test', subjectId: 'str_unrelated000004' });
      held();
      await released;
      return record;
    });
    await holding;
    let first: { id: string };
    try {
      first = await world.hub.admin.post<{ id: string }>(`/v1/incidents/${world.incidentId}/exports`, { redacted: false, caseNumber: 'SH-2' });
    } finally {
      release();
    }
    assert.equal(Number((await blocker)?.shard), 0);
    const exported = await world.hub.db.knex('audit_records').where({ tenant_id: world.hub.tenantId, action: 'incident.exported_unredacted' })
      .whereRaw("after->>'exportId' = ?", [first.id]).first<{ shard: number | string; seq: number | string; id: string }>('shard', 'seq', 'id');
    assert.ok(exported);
    assert.notEqual(Number(exported.shard), 0, 'shard 0 was busy: the export\'s record went to another chain');

    const later = await world.hub.admin.post<{ url: string }>(`/v1/incidents/${world.incidentId}/exports`, { redacted: false, caseNumber: 'SH-3' });
    const path = join(world.dir, 'sharded-later.zip');
    await writeFile(path, Buffer.from(await (await fetch(`${world.hub.url}${later.url}`)).arrayBuffer()));
    const next = JSON.parse((await readZip(path)).find((e) => e.name === 'audit.json')?.data.toString() ?? '{}') as Extract;
    const carried = next.records.find((r) => r.id === exported.id);
    assert.deepEqual([carried?.shard, carried?.seq], [Number(exported.shard), Number(exported.seq)]);
    assert.ok(next.chains.find((c) => c.shard === Number(exported.shard))?.links.some((l) => l.id === exported.id && l.full));
    assert.deepEqual(checkAuditExtract(next), []);
    const keys = parsePinnedKeys(JSON.stringify(await world.hub.admin.get('/v1/evidence/keys')), 'keys');
    assert.equal((await verifyBundle(path, { keys })).ok, true);
  });

  test('an extract of a bundle made before shards (vigil-audit-extract/1, one chain) still checks', () => {
    const zero = chainOf(0);
    const v1 = {
      format: 'vigil-audit-extract/1', tenantId: extract.tenantId, subjects: extract.subjects, networkDetailsRemoved: extract.networkDetailsRemoved,
      head: zero.head, checkpoint: zero.checkpoint, checkpointPublicKeyPem: zero.checkpointPublicKeyPem, links: zero.links,
      records: extract.records.filter((r) => r.shard === 0).map(({ shard: _shard, ...r }) => r),
    };
    assert.deepEqual(checkAuditExtract(v1), []);
    const broken = checkAuditExtract({ ...v1, links: v1.links.slice(0, -1) });
    assert.ok(broken.some((p) => p.startsWith('the links end at record')), broken.join('\n'));
  });
});
