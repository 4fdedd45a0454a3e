import type { Knex } from 'knex';
import { z } from 'zod';
import { TenantPolicyVersion } from '../../models/index.js';
import type { Principal, RuleTemplate, TenantPolicy } from '../../policies/index.js';

/**
 * The latest policy version of the tenant and role of the row aliased `t` (columns tenant_id and role), as a
 * LATERAL subquery: an authenticator reads it in the statement that finds the principal (see rememberPolicy).
 */
export const LATEST_POLICY_LATERAL_SQL = `LEFT JOIN LATERAL (SELECT p.mode AS policy_mode, p.rules AS policy_rules, p.version AS policy_version
    FROM tenant_policies p WHERE p.tenant_id = t.tenant_id AND p.role = t.role ORDER BY p.version DESC LIMIT 1) latest_policy ON true`;

// The columns as a model query hands them back (objection's snake-case mapper turns policy_mode into policyMode).
const policyColumns = z.object({
  policyMode: z.enum(['extend', 'replace']).nullable(),
  policyRules: z.union([z.array(z.unknown()), z.string()]).nullable(),
  policyVersion: z.coerce.number().int().nullable(),
});

/** Policies read together with their principal, for this request only (keyed by the principal object). */
const remembered = new WeakMap<Principal, TenantPolicy | null>();

/** Keeps the policy columns of LATEST_POLICY_LATERAL_SQL read with `principal`, so loadTenantPolicy needs no statement. */
export function rememberPolicy(principal: Principal, row: unknown): void {
  const { policyMode: mode, policyRules: rules, policyVersion: version } = policyColumns.parse(row);
  const list = typeof rules === 'string' ? (JSON.parse(rules) as unknown[]) : rules;
  remembered.set(principal, mode === null || version === null ? null : { mode, rules: (list ?? []) as RuleTemplate[], version });
}

/**
 * The tenant's current policy for the principal's role, read on every request so that an edit takes effect
 * on the next one (one indexed lookup, or none when the authenticator read it with the principal).
 */
export async function loadTenantPolicy(knex: Knex, principal: Principal): Promise<TenantPolicy | null> {
  if (remembered.has(principal)) return remembered.get(principal) ?? null;
  const row = await TenantPolicyVersion.query(knex)
    .where({ tenant_id: principal.tenantId, role: principal.role })
    .orderBy('version', 'desc')
    .first();
  if (!row) return null;
  return { mode: row.mode, rules: row.rules as RuleTemplate[], version: row.version };
}
