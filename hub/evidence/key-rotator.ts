import type { Knex } from 'knex';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { evidenceSecretsFor } from './custody-secrets.js';
import { newSigningKeyRow, tenantEvidenceKeys } from './keys.js';

export interface RotatedKey {
  tenantId: string;
  retiredKeyId: string;
  keyId: string;
}

/**
 * Rotates a tenant's bundle-signing key: the active key is retired (kept, so bundles it signed still
 * verify against the published key set) and a new sealed key becomes active. Audited.
 */
export async function rotateSigningKey(ctx: CommandContext): Promise<RotatedKey> {
  const { trx, tenantId } = ctx;
  const current = await tenantEvidenceKeys(trx, tenantId);
  const now = (ctx.now ?? (() => new Date()))();
  await trx('evidence_signing_keys').where({ tenant_id: tenantId, key_id: current.keyId, state: 'active' }).update({ state: 'retired', retired_at: now });
  const fresh = newSigningKeyRow(trx, tenantId);
  await trx('evidence_signing_keys').insert({ ...fresh, created_at: now });
  await resealSigningKeys(trx, tenantId);
  await writeAudit(ctx, {
    action: 'evidence.signing_key_rotated', subjectType: 'Tenant', subjectId: tenantId,
    before: { keyId: current.keyId }, after: { keyId: fresh.key_id },
  });
  return { tenantId, retiredKeyId: current.keyId, keyId: fresh.key_id };
}

/**
 * Seals every signing key of a tenant that is still plaintext (moved from before keys were sealed) or
 * sealed with a previous hub secrets key, with the current one. Returns how many it rewrote. Run by
 * `vigil evidence keys reseal` after the secrets key rotates, and by every key rotation.
 */
export async function resealSigningKeys(trx: Knex.Transaction, tenantId: string): Promise<number> {
  const box = evidenceSecretsFor(trx);
  const rows = await trx('evidence_signing_keys').where({ tenant_id: tenantId }).select<Array<{ key_id: string; private_key_sealed: string }>>('key_id', 'private_key_sealed');
  let resealed = 0;
  for (const row of rows) {
    if (box.isCurrent(row.private_key_sealed)) continue;
    await trx('evidence_signing_keys').where({ tenant_id: tenantId, key_id: row.key_id }).update({ private_key_sealed: box.reseal(row.private_key_sealed) });
    resealed += 1;
  }
  return resealed;
}
