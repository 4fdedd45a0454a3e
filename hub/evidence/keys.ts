import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, invariant } from '../../contracts/index.js';
import { evidenceSecretsFor } from './custody-secrets.js';

/** What links and the published key set read: the signed-link secret and the active signing key's public half. */
export interface TenantEvidenceKeys {
  tenantId: string;
  keyId: string;
  publicKeyPem: string;
  urlSecret: Buffer;
  createdAt: Date;
}

/** The active signing key, opened: only the exporter holds it, for the length of one export. */
export interface SigningKeyPair {
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

interface SigningKeyRow {
  tenant_id: string;
  key_id: string;
  public_key_pem: string;
  private_key_sealed: string;
  state: 'active' | 'retired';
  created_at: Date;
  retired_at: Date | null;
}

/** Names a public key: SHA-256 of its SPKI DER, hex. The kid of bundles and key sets. */
export function keyIdOf(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

/** A new ed25519 pair as the row stores it: the private half sealed with the hub secrets key. */
export function newSigningKeyRow(db: Knex | Knex.Transaction, tenantId: string): Omit<SigningKeyRow, 'created_at' | 'retired_at'> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealed = evidenceSecretsFor(db).seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return { tenant_id: tenantId, key_id: keyIdOf(publicKeyPem), public_key_pem: publicKeyPem, private_key_sealed: sealed, state: 'active' };
}

async function activeRow(db: Knex | Knex.Transaction, tenantId: string): Promise<SigningKeyRow | undefined> {
  return db<SigningKeyRow>('evidence_signing_keys').where({ tenant_id: tenantId, state: 'active' }).first();
}

/** The active key row, made on first use. Two racing first uses: the partial unique index keeps one. */
async function ensureActiveRow(db: Knex | Knex.Transaction, tenantId: string): Promise<SigningKeyRow> {
  const existing = await activeRow(db, tenantId);
  if (existing) return existing;
  const row = newSigningKeyRow(db, tenantId);
  await db.raw(`INSERT INTO evidence_signing_keys (tenant_id, key_id, public_key_pem, private_key_sealed, state) VALUES (?, ?, ?, ?, 'active')
    ON CONFLICT (tenant_id, environment) WHERE state = 'active' DO NOTHING`, [row.tenant_id, row.key_id, row.public_key_pem, row.private_key_sealed]);
  const made = await activeRow(db, tenantId);
  invariant(made, `an active evidence signing key of ${tenantId} exists after its insert`);
  return made;
}

async function ensureUrlSecret(db: Knex | Knex.Transaction, tenantId: string): Promise<{ url_secret: string }> {
  const existing = await db('evidence_keys').where({ tenant_id: tenantId }).first<{ url_secret: string } | undefined>('url_secret');
  if (existing) return existing;
  await db('evidence_keys').insert({ tenant_id: tenantId, url_secret: randomBytes(32).toString('hex') }).onConflict(['tenant_id', 'environment']).ignore();
  const row = await db('evidence_keys').where({ tenant_id: tenantId }).first<{ url_secret: string } | undefined>('url_secret');
  invariant(row, `evidence keys of ${tenantId} exist after their upsert`);
  return row;
}

/** The tenant's link secret and active signing key (public half), made on first use. */
export async function tenantEvidenceKeys(db: Knex | Knex.Transaction, tenantId: string): Promise<TenantEvidenceKeys> {
  const [secret, active] = [await ensureUrlSecret(db, tenantId), await ensureActiveRow(db, tenantId)];
  return { tenantId, keyId: active.key_id, publicKeyPem: active.public_key_pem, urlSecret: Buffer.from(secret.url_secret, 'hex'), createdAt: active.created_at };
}

/**
 * Opens the active signing key for one export. A key still in plaintext (moved by the migration from
 * before keys were sealed) or sealed with a previous secrets key is sealed again with the current one here.
 */
export async function activeSigningKey(db: Knex | Knex.Transaction, tenantId: string): Promise<SigningKeyPair> {
  const row = await ensureActiveRow(db, tenantId);
  const box = evidenceSecretsFor(db);
  const pem = box.open(row.private_key_sealed);
  if (!box.isCurrent(row.private_key_sealed)) {
    await db('evidence_signing_keys').where({ tenant_id: tenantId, key_id: row.key_id }).update({ private_key_sealed: box.seal(pem) });
  }
  const privateKey = createPrivateKey(pem);
  if (keyIdOf(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()) !== row.key_id) {
    throw new AppError('internal', `the sealed evidence signing key ${row.key_id} does not match its public key`);
  }
  return { keyId: row.key_id, publicKeyPem: row.public_key_pem, privateKey };
}

export const publishedKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  algorithm: z.literal('ed25519'),
  publicKeyPem: z.string().min(1),
  state: z.enum(['active', 'retired']).optional(),
  createdAt: z.string().optional(),
  retiredAt: z.string().nullable().optional(),
});
/** The published key set: every key that ever signed the tenant's bundles (active and retired), by kid. */
export const keySetSchema = z.object({ keys: z.array(publishedKeySchema).min(1) });
export type KeySet = z.infer<typeof keySetSchema>;

export async function publishedKeySet(db: Knex | Knex.Transaction, tenantId: string): Promise<KeySet> {
  await ensureActiveRow(db, tenantId);
  const rows = await db<SigningKeyRow>('evidence_signing_keys').where({ tenant_id: tenantId }).orderBy('created_at');
  return {
    keys: rows.map((r) => ({
      keyId: r.key_id, algorithm: 'ed25519' as const, publicKeyPem: r.public_key_pem, state: r.state,
      createdAt: r.created_at.toISOString(), retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
    })),
  };
}
