import type { Knex } from 'knex';
import { TenantPolicyVersion } from '../../models/index.js';
import type { Principal, RuleTemplate, TenantPolicy } from '../../policies/index.js';

/**
 * The tenant's current policy for the principal's role, read on every request so that an edit takes effect
 * on the next one (one indexed lookup).
 */
export async function loadTenantPolicy(knex: Knex, principal: Principal): Promise<TenantPolicy | null> {
  const row = await TenantPolicyVersion.query(knex)
    .where({ tenant_id: principal.tenantId, role: principal.role })
    .orderBy('version', 'desc')
    .first();
  if (!row) return null;
  return { mode: row.mode, rules: row.rules as RuleTemplate[], version: row.version };
}
