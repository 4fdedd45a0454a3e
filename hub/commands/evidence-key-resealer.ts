import type { Knex } from 'knex';
import { writeAudit } from '../audit/index.js';
import { resealSigningKeys, tenantTransaction } from '../evidence/index.js';

export interface ResealSummary {
  /** Signing keys sealed again with the current hub secrets key, over every tenant. */
  keys: number;
  tenants: number;
}

const actor = { type: 'system' as const, id: 'cli' };

/**
 * The evidence half of a secrets-key rotation (`vigil secrets reencrypt`, `vigil evidence keys reseal`):
 * every tenant's bundle-signing keys still sealed with a previous key (or still in plaintext, as the
 * migration moved them) are sealed with the current one, one transaction per tenant, audited as
 * `evidence.signing_keys_resealed` where anything changed. Idempotent: a second run changes nothing.
 */
export async function resealEvidenceSigningKeys(knex: Knex, secretsKeyId: string): Promise<ResealSummary> {
  const summary: ResealSummary = { keys: 0, tenants: 0 };
  for (const { id } of await knex('tenants').select<Array<{ id: string }>>('id').orderBy('id')) {
    const resealed = await tenantTransaction(knex, id, async (trx) => {
      const count = await resealSigningKeys(trx, id);
      if (count > 0) {
        await writeAudit({ actor, tenantId: id, requestId: null, clientAddress: null, trx }, {
          action: 'evidence.signing_keys_resealed', subjectType: 'Tenant', subjectId: id, after: { keys: count, secretsKeyId },
        });
      }
      return count;
    }, { asOwner: true });
    summary.keys += resealed;
    if (resealed > 0) summary.tenants += 1;
  }
  return summary;
}
