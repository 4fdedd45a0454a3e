import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { invariant } from '../../contracts/index.js';

export interface TenantEvidenceKeys {
  tenantId: string;
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  urlSecret: Buffer;
  createdAt: Date;
}

interface KeyRow {
  tenant_id: string;
  key_id: string;
  public_key_pem: string;
  private_key_pem: string;
  url_secret: string;
  created_at: Date;
}

/** Names a public key: SHA-256 of its SPKI DER, hex. Printed by `vigil evidence verify`. */
export function keyIdOf(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

const fromRow = (row: KeyRow): TenantEvidenceKeys => ({
  tenantId: row.tenant_id, keyId: row.key_id, publicKeyPem: row.public_key_pem, privateKeyPem: row.private_key_pem,
  urlSecret: Buffer.from(row.url_secret, 'hex'), createdAt: row.created_at,
});

/**
 * The tenant's ed25519 signing key and URL secret, made on first use. Two racing first uses both try the
 * insert; ON CONFLICT keeps one and both read the winner.
 */
export async function tenantEvidenceKeys(db: Knex | Knex.Transaction, tenantId: string): Promise<TenantEvidenceKeys> {
  const existing = await db<KeyRow>('evidence_keys').where({ tenant_id: tenantId }).first();
  if (existing) return fromRow(existing);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await db('evidence_keys')
    .insert({
      tenant_id: tenantId, key_id: keyIdOf(publicKeyPem), public_key_pem: publicKeyPem,
      private_key_pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), url_secret: randomBytes(32).toString('hex'),
    })
    .onConflict('tenant_id')
    .ignore();
  const row = await db<KeyRow>('evidence_keys').where({ tenant_id: tenantId }).first();
  invariant(row, `evidence keys of ${tenantId} exist after their upsert`);
  return fromRow(row);
}
