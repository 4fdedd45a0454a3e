import type { Knex } from 'knex';
import { RoutingPolicyRow } from '../../models/index.js';
import { policyMatches, type RoutableIncident, type RoutingPolicy } from './policy-match.js';
import { isQuietAt } from './quiet-hours.js';

export interface RouteDecision {
  /** True when the tenant has no enabled routing policy: every subscribed endpoint receives the message. */
  isUnrouted: boolean;
  endpointIds: string[];
  suppressed: Array<{ policyId: string; reason: 'quiet_hours' | 'cooldown' }>;
}

const toPolicy = (r: RoutingPolicyRow): RoutingPolicy => ({
  id: r.id, name: r.name, regionId: r.regionId, storeId: r.storeId, incidentTypes: r.incidentTypes, severities: r.severities,
  endpointIds: r.endpointIds, quietHours: r.quietHours, cooldownSeconds: r.cooldownSeconds, escalateAfterMinutes: r.escalateAfterMinutes,
  escalationEndpointIds: r.escalationEndpointIds, enabled: r.enabled,
});

/** The tenant's enabled policies (read once per command, however many incidents it touches). */
export async function loadPolicies(trx: Knex.Transaction, tenantId: string): Promise<RoutingPolicy[]> {
  const rows = await RoutingPolicyRow.forTenant(trx, tenantId).where('enabled', true);
  return rows.map(toPolicy);
}

/**
 * Claims the cooldown slot of (policy, camera, type) atomically: true when nothing was sent within the
 * cooldown, and the slot now says "sent now". Concurrent ingests of one camera serialise on the row.
 */
async function claimCooldown(trx: Knex.Transaction, tenantId: string, policy: RoutingPolicy, incident: RoutableIncident, now: Date): Promise<boolean> {
  if (policy.cooldownSeconds <= 0) return true;
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `INSERT INTO routing_cooldowns (tenant_id, policy_id, camera_id, type, last_sent_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, policy_id, camera_id, type) DO UPDATE SET last_sent_at = excluded.last_sent_at
       WHERE routing_cooldowns.last_sent_at <= excluded.last_sent_at - make_interval(secs => ?)
     RETURNING 1`,
    [tenantId, policy.id, incident.cameraId, incident.type, now, policy.cooldownSeconds],
  );
  return rows.length > 0;
}

async function storeTimezone(trx: Knex.Transaction, tenantId: string, storeId: string): Promise<string> {
  const { rows } = await trx.raw<{ rows: Array<{ timezone: string }> }>('SELECT timezone FROM stores WHERE tenant_id = ? AND id = ?', [tenantId, storeId]);
  return rows[0]?.timezone ?? 'UTC';
}

/**
 * Decides where an incident message goes. Quiet hours (store's wall clock) and the per-camera-and-type
 * cooldown apply to new incidents, which is what pages people; updates follow the same policies without
 * them. A new incident under a policy with escalation gets an escalation timer in the same transaction.
 */
export async function routeIncident(
  trx: Knex.Transaction,
  tenantId: string,
  incident: RoutableIncident,
  isNew: boolean,
  now: Date = new Date(),
  preloaded?: RoutingPolicy[],
): Promise<RouteDecision> {
  const policies = preloaded ?? (await loadPolicies(trx, tenantId));
  if (policies.length === 0) return { isUnrouted: true, endpointIds: [], suppressed: [] };
  const matching = policies.filter((p) => policyMatches(p, incident));
  const endpointIds = new Set<string>();
  const suppressed: RouteDecision['suppressed'] = [];
  let timezone: string | null = null;
  for (const policy of matching) {
    if (isNew && policy.quietHours) {
      timezone ??= await storeTimezone(trx, tenantId, incident.storeId);
      if (isQuietAt(policy.quietHours, timezone, now)) {
        suppressed.push({ policyId: policy.id, reason: 'quiet_hours' });
        continue;
      }
    }
    if (isNew && !(await claimCooldown(trx, tenantId, policy, incident, now))) {
      suppressed.push({ policyId: policy.id, reason: 'cooldown' });
      continue;
    }
    for (const id of policy.endpointIds) endpointIds.add(id);
    if (isNew && policy.escalateAfterMinutes !== null && policy.escalationEndpointIds.length > 0) {
      await trx.raw(
        'INSERT INTO routing_escalations (tenant_id, incident_id, policy_id, due_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [tenantId, incident.id, policy.id, new Date(now.getTime() + policy.escalateAfterMinutes * 60_000)],
      );
    }
  }
  return { isUnrouted: false, endpointIds: [...endpointIds], suppressed };
}
