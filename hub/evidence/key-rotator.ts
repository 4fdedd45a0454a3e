import { writeAudit, type CommandContext } from '../audit/index.js';
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
  await writeAudit(ctx, {
    action: 'evidence.signing_key_rotated', subjectType: 'Tenant', subjectId: tenantId,
    before: { keyId: current.keyId }, after: { keyId: fresh.key_id },
  });
  return { tenantId, retiredKeyId: current.keyId, keyId: fresh.key_id };
}
