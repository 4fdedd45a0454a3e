import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../../../contracts/index.js';
import { createTenant } from '../../commands/tenant-creator.js';
import { migrateUp } from '../../db/index.js';
import { freshDatabase } from '../../../test/support/database.js';
import { savePendingLogin } from './pending-logins.js';
import { sweepExpiredLogins } from './session-sweeper-job.js';

test('the sweeper deletes expired sessions and pending logins and keeps live ones', async () => {
  const db = await freshDatabase();
  try {
    await migrateUp(db.knex);
    const { tenant } = await createTenant(db.knex, 'Sweep retail');
    const userId = newId('user');
    await db.knex('users').insert({ tenant_id: tenant.id, id: userId, email: 'a@b.test', role: 'auditor', provisioned_by: 'admin' });
    const now = new Date();
    const session = (expiresAt: Date) => ({ tenant_id: tenant.id, id: newId('session'), secret_hash: 'x', user_id: userId, expires_at: expiresAt });
    const live = session(new Date(now.getTime() + 60_000));
    await db.knex('sessions').insert([session(new Date(now.getTime() - 1000)), session(new Date(now.getTime() - 5000)), live]);
    const login = { tenantId: tenant.id, nonce: 'n', codeVerifier: 'v', returnTo: '/console' };
    await savePendingLogin(db.knex, 'new-state', login, 60, now);
    await savePendingLogin(db.knex, 'old-state', login, 60, new Date(now.getTime() - 120_000));
    assert.deepEqual(await sweepExpiredLogins(db.knex, now), { sessions: 2, logins: 1 });
    assert.deepEqual((await db.knex('sessions').select('id')).map((r: { id: string }) => r.id), [live.id]);
    assert.equal((await db.knex('oidc_logins').count<Array<{ count: string | number }>>('* as count'))[0]?.count.toString(), '1');
    assert.deepEqual(await sweepExpiredLogins(db.knex, now), { sessions: 0, logins: 0 });
  } finally {
    await db.close();
  }
});
