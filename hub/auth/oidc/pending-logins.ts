import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface PendingLogin {
  tenantId: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

const hashState = (state: string): string => createHash('sha256').update(state).digest('hex');

/**
 * Logins between the redirect to the provider and its callback, in PostgreSQL so that any API process can
 * take the callback. A row is consumed by the first callback that names its state; a replay finds nothing.
 */
export async function savePendingLogin(knex: Knex, state: string, login: PendingLogin, ttlSeconds = 600, now = new Date()): Promise<void> {
  await knex('oidc_logins').where('expires_at', '<', now).delete();
  await knex('oidc_logins').insert({
    state_hash: hashState(state), tenant_id: login.tenantId, nonce: login.nonce, code_verifier: login.codeVerifier,
    return_to: login.returnTo, created_at: now, expires_at: new Date(now.getTime() + ttlSeconds * 1000),
  });
}

export async function consumePendingLogin(knex: Knex, state: string, now = new Date()): Promise<PendingLogin | null> {
  const rows = (await knex('oidc_logins').where('state_hash', hashState(state)).delete().returning('*')) as Array<Record<string, unknown>>;
  const row = rows[0];
  if (!row || (row.expires_at as Date) <= now) return null;
  return { tenantId: String(row.tenant_id), nonce: String(row.nonce), codeVerifier: String(row.code_verifier), returnTo: String(row.return_to) };
}
