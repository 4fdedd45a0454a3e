import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { keyIdOf } from '../../hub/webhooks/index.js';
import { databaseLabel } from '../support/database.js';
import { startTestHub } from '../support/hub.js';

const VIGIL = join(import.meta.dirname, '..', '..', 'bin', 'vigil.mjs');
const run = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, [VIGIL, ...args], { env: { ...process.env, ...env, VIGIL_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

test(`[${databaseLabel()}] vigil secrets reencrypt seals every stored secret under the new key; a second run changes nothing`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
  const oldKey = Buffer.alloc(32, 21).toString('base64');
  const newKey = Buffer.alloc(32, 22).toString('base64');
  const hub = await startTestHub({ webhooks: { secretsKey: oldKey } }, { pgliteDir: dir });
  const env = { ...(process.env.DATABASE_URL ? { DATABASE_URL: String(hub.db.knex.client.connectionSettings.connectionString) } : { VIGIL_DATA_DIR: dir }) };
  try {
    await hub.admin.post('/v1/webhooks', { url: 'https://receiver.example/a', eventTypes: ['incident.created'], headers: { 'X-Api-Key': 'sk_live_0123456789abcdef' } });
    await hub.admin.call('PUT', '/v1/webhook-settings/inbound-secret', 200, { required: true });
    await hub.running.stop();
    // Let the CLI open the database: PGlite releases its directory lock, PostgreSQL keeps the database.
    if (process.env.DATABASE_URL) await hub.db.knex.destroy();
    else await hub.db.close();
    const rotated = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: newKey, VIGIL_SECRETS_PREVIOUS_KEYS: oldKey });
    assert.equal(rotated.code, 0, rotated.out);
    assert.match(rotated.out, new RegExp(`re-encrypted under key ${keyIdOf(Buffer.from(newKey, 'base64'))}: 1 endpoint\\(s\\), 1 inbound secret\\(s\\)`));
    const again = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: newKey });
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /: 0 endpoint\(s\), 0 inbound secret\(s\)/, 'nothing is left under the old key');
    const lost = run(['secrets', 'reencrypt'], { ...env, VIGIL_SECRETS_KEY: Buffer.alloc(32, 23).toString('base64') });
    assert.notEqual(lost.code, 0, 'a key that opens nothing is refused, never silently overwritten');
    assert.match(lost.out, /not configured/);
  } finally {
    if (process.env.DATABASE_URL) await hub.db.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
