import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectDatabase } from '../../hub/db/index.js';
import { keyIdOf, rotateSigningKey, tenantTransaction } from '../../hub/evidence/index.js';
import { secretBoxFor } from '../../hub/webhooks/index.js';
import { databaseLabel } from '../support/database.js';
import { startTestHub } from '../support/hub.js';

// Rotating the hub secrets key: `vigil secrets reencrypt` seals the evidence signing keys again too, so a
// hub started with the new key alone can still sign bundles with every key.

const VIGIL = join(import.meta.dirname, '..', '..', 'bin', 'vigil.mjs');
const run = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, [VIGIL, ...args], { env: { ...process.env, ...env, VIGIL_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

interface KeyRow {
  tenant_id: string;
  key_id: string;
  private_key_sealed: string;
}

test(`[${databaseLabel()}] vigil secrets reencrypt re-seals every tenant's evidence signing keys under the new key (audited); a second run changes nothing`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-evidence-secrets-'));
  const oldKey = Buffer.alloc(32, 31).toString('base64');
  const newKey = Buffer.alloc(32, 32).toString('base64');
  const hub = await startTestHub({ webhooks: { secretsKey: oldKey } }, { pgliteDir: dir });
  const connection = process.env.DATABASE_URL ? String(hub.db.knex.client.connectionSettings.connectionString) : null;
  // The CLI keys its audit records with the hub's audit key, from the hub's data directory.
  const env = { VIGIL_DATA_DIR: dir, ...(connection ? { DATABASE_URL: connection } : {}) };
  let closed = false;
  try {
    // Two tenants with signing keys; the first has rotated once (a retired key and an active one).
    const other = await hub.createTenant('Second retail');
    await hub.admin.get('/v1/evidence/keys');
    await other.admin.get('/v1/evidence/keys');
    await tenantTransaction(hub.db.knex, hub.tenantId, (trx) => rotateSigningKey({ actor: { type: 'system', id: 'test' }, tenantId: hub.tenantId, requestId: null, clientAddress: null, trx }), { asOwner: true });
    const rowsOf = async (knex: typeof hub.db.knex): Promise<KeyRow[]> => {
      const rows: KeyRow[] = [];
      for (const tenantId of [hub.tenantId, other.tenantId]) {
        rows.push(...await tenantTransaction(knex, tenantId, (trx) => trx('evidence_signing_keys').where({ tenant_id: tenantId }).orderBy('created_at').select<KeyRow[]>('tenant_id', 'key_id', 'private_key_sealed'), { asOwner: true }));
      }
      return rows;
    };
    const before = await rowsOf(hub.db.knex);
    assert.equal(before.length, 3);
    await hub.running.stop();
    if (connection) await hub.db.knex.destroy();
    else await hub.db.close();
    closed = !connection;

    const rotated = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: newKey, VIGIL_SECRETS_PREVIOUS_KEYS: oldKey });
    assert.equal(rotated.code, 0, rotated.out);
    assert.match(rotated.out, /: 0 endpoint\(s\), 0 inbound secret\(s\), 3 evidence signing key\(s\)/);
    const again = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: newKey });
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /, 0 evidence signing key\(s\)/, 'nothing is left under the old key');
    const lost = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: Buffer.alloc(32, 33).toString('base64') });
    assert.notEqual(lost.code, 0, 'a key that opens nothing is refused, never silently overwritten');

    const db = connectDatabase({ databaseUrl: connection ?? undefined, dataDir: dir });
    try {
      const after = await rowsOf(db.knex);
      const fresh = secretBoxFor({ dataDir: '', secretsKey: newKey, previousSecretsKeys: [] });
      const stale = secretBoxFor({ dataDir: '', secretsKey: oldKey, previousSecretsKeys: [] });
      assert.deepEqual(after.map((r) => r.key_id), before.map((r) => r.key_id));
      for (const row of after) {
        assert.ok(fresh.isCurrent(row.private_key_sealed), `${row.key_id} is sealed under the new key`);
        assert.notEqual(row.private_key_sealed, before.find((b) => b.key_id === row.key_id)?.private_key_sealed);
        // The new key alone opens it, to the private half of the very key the kid names.
        const pem = fresh.open(row.private_key_sealed);
        assert.equal(keyIdOf(createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString()), row.key_id);
        assert.throws(() => stale.open(row.private_key_sealed));
      }
      for (const [tenantId, keys] of [[hub.tenantId, 2], [other.tenantId, 1]] as const) {
        const audit = await tenantTransaction(db.knex, tenantId, (trx) => trx('audit_records').where({ tenant_id: tenantId, action: 'evidence.signing_keys_resealed' }).select<Array<{ after: unknown; actor_id: string }>>('after', 'actor_id'), { asOwner: true });
        assert.equal(audit.length, 1, `${tenantId}: one audit record, from the first run only`);
        const body = (typeof audit[0]?.after === 'string' ? JSON.parse(audit[0].after) : audit[0]?.after) as { keys: number };
        assert.equal(body.keys, keys);
      }
    } finally {
      await db.close();
    }
  } finally {
    if (connection) await hub.db.close().catch(() => undefined);
    else if (!closed) await hub.db.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
