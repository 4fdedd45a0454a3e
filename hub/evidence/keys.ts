import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { invariant } from '../../contracts/index.js';
import { EvidenceKeys } from '../../models/index.js';

export interface TenantEvidenceKeys {
  tenantId: string;
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  urlSecret: Buffer;
  createdAt: Date;
}

/** Names a public key: SHA-256 of its SPKI DER, hex. Printed by `vigil evidence verify`. */
export function keyIdOf(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

const fromRow = (row: EvidenceKeys): TenantEvidenceKeys => ({
  tenantId: row.tenantId, keyId: row.keyId, publicKeyPem: row.publicKeyPem, privateKeyPem: row.privateKeyPem,
  urlSecret: Buffer.from(row.urlSecret, 'hex'), createdAt: row.createdAt,
});

/**
 * The tenant's ed25519 signing key and URL secret, made on first use. Two racing first uses both try the
 * insert; ON CONFLICT keeps one and both read the winner.
 */
export async function tenantEvidenceKeys(db: Knex | Knex.Transaction, tenantId: string): Promise<TenantEvidenceKeys> {
  const existing = await EvidenceKeys.query(db).findById(tenantId);
  if (existing) return fromRow(existing);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await EvidenceKeys.query(db)
    .insert({
      tenantId, keyId: keyIdOf(publicKeyPem), publicKeyPem,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), urlSecret: randomBytes(32).toString('hex'),
    })
    .onConflict('tenant_id')
    .ignore();
  const row = await EvidenceKeys.query(db).findById(tenantId);
  invariant(row, `evidence keys of ${tenantId} exist after their upsert`);
  return fromRow(row);
}
