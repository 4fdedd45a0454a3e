import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditKeysFor, checkpointTargets, exportCheckpoints } from '../../audit/index.js';
import { loadHubConfig } from '../../config/index.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface Verification {
  ok: boolean;
  records: number;
  problem: { kind: string; shard: number; seq: number; message: string } | null;
  checkpoint: { seq: number } | null;
  shards: Array<{ shard: number; records: number; ok: boolean; last: { seq: number; id: string } | null }>;
}

describe('GET /v1/audit/verification', () => {
  let dir: string;
  let hub: TestHub;
  let auditor: ApiClient;
  let reviewer: ApiClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-verification-'));
    hub = await startTestHub({ dataDir: dir }, { pgliteDir: dir });
    auditor = hub.admin.as(await hub.createToken('auditor'));
    reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    for (let i = 0; i < 3; i += 1) await hub.admin.post('/v1/regions', { name: `Verified region ${i}` });
  });
  after(async () => {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const newestSeq = async (): Promise<{ seq: number; id: string }> => {
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ seq: number; id: string }> }>('SELECT seq, id FROM audit_records WHERE tenant_id = ? AND shard = 0 ORDER BY seq DESC LIMIT 1', [hub.tenantId]);
    return { seq: Number(rows[0]?.seq), id: String(rows[0]?.id) };
  };

  test('an untouched chain verifies, shard by shard, to its newest record and against the signed checkpoint', async () => {
    const targets = checkpointTargets(loadHubConfig({ env: {}, overrides: { dataDir: dir } }).audit, dir);
    await exportCheckpoints(hub.db.knex, { keyring: auditKeysFor(hub.db.knex), targets, exported: new Map() });
    const newest = await newestSeq();
    const report = await auditor.get<Verification>('/v1/audit/verification');
    assert.equal(report.ok, true, report.problem?.message);
    assert.equal(report.problem, null);
    assert.equal(report.checkpoint?.seq, newest.seq, 'held against the checkpoint just exported');
    const shard0 = report.shards.find((s) => s.shard === 0);
    assert.deepEqual(shard0?.last, newest);
    assert.equal(report.records, report.shards.reduce((n, s) => n + s.records, 0));
  });

  test('a record edited by direct SQL is named as the first break, with its shard and sequence', async () => {
    await hub.db.knex.raw('UPDATE audit_records SET action = ? WHERE tenant_id = ? AND shard = 0 AND seq = 2', ['region.deleted', hub.tenantId]);
    const report = await hub.admin.get<Verification>('/v1/audit/verification');
    assert.equal(report.ok, false);
    assert.equal(report.problem?.kind, 'edited');
    assert.equal(report.problem?.shard, 0);
    assert.equal(report.problem?.seq, 2);
    assert.equal(report.shards.find((s) => s.shard === 0)?.ok, false);
  });

  test('roles that may not read the whole trail are refused', async () => {
    assert.equal((await reviewer.get<{ error: { code: string } }>('/v1/audit/verification', 403)).error.code, 'forbidden');
  });
});
