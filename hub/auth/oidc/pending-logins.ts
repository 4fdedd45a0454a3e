import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { PendingLogin as PendingLoginRow } from '../../../models/index.js';

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
  await PendingLoginRow.query(knex).where('expires_at', '<', now).delete();
  await PendingLoginRow.query(knex).insert({
    stateHash: hashState(state), tenantId: login.tenantId, nonce: login.nonce, codeVerifier: login.codeVerifier,
    returnTo: login.returnTo, createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  });
}

export async function consumePendingLogin(knex: Knex, state: string, now = new Date()): Promise<PendingLogin | null> {
  const rows = await PendingLoginRow.query(knex).where('state_hash', hashState(state)).delete().returning('*');
  const row = rows[0];
  if (!row || row.expiresAt <= now) return null;
  return { tenantId: row.tenantId, nonce: row.nonce, codeVerifier: row.codeVerifier, returnTo: row.returnTo };
}
