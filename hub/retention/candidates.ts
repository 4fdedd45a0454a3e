import type { Knex } from 'knex';
import { outcomeOf, ruleFor, type OutcomeClass, type RetentionPolicyScope } from './policy.js';
import { RetentionPolicy } from '../../models/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ScannedItem {
  tenantId: string;
  environment: string;
  id: string;
  kind: string;
  bytes: number;
  sha256: string;
  storageKey: string;
  storeId: string;
  incidentId: string | null;
  createdAt: Date;
  held: boolean;
  outcome: OutcomeClass;
  keepDays: number;
  policy: string;
  /** When the item falls due: the later of its arrival and the incident's last change, plus the days kept. */
  expiresAt: Date;
}

interface ScanRow {
  tenant_id: string;
  environment: string;
  id: string;
  kind: string;
  bytes: number;
  sha256: string;
  storage_key: string;
  store_id: string;
  region_id: string;
  incident_id: string | null;
  created_at: Date;
  incident_state: string | null;
  incident_type: string | null;
  incident_updated_at: Date | null;
  held: boolean;
}

export interface ScanOptions {
  afterId?: string | undefined;
  limit: number;
  /** Lock the rows (FOR UPDATE SKIP LOCKED) so several purgers share the work without doing any twice. */
  lock?: boolean;
  /** Oldest first (disk pressure) instead of by id (retention). */
  oldestFirst?: boolean;
  excludeHeld?: boolean;
}

/** One page of a tenant's items with what retention needs to judge them. */
export async function scanItems(trx: Knex.Transaction, tenantId: string, policies: RetentionPolicyScope[], options: ScanOptions): Promise<ScannedItem[]> {
  const held = trx.raw(`EXISTS (SELECT 1 FROM evidence_holds h WHERE h.tenant_id = i.tenant_id AND h.released_at IS NULL
    AND ((h.target_type = 'item' AND h.target_id = i.id) OR (h.target_type = 'incident' AND h.target_id = i.incident_id)))`);
  const qb = trx('evidence_items as i')
    .leftJoin('incidents as n', (j) => void j.on('n.tenant_id', 'i.tenant_id').andOn('n.id', 'i.incident_id'))
    .where('i.tenant_id', tenantId)
    .select('i.tenant_id', 'i.environment', 'i.id', 'i.kind', 'i.bytes', 'i.sha256', 'i.storage_key', 'i.store_id', 'i.region_id', 'i.incident_id', 'i.created_at',
      'n.state as incident_state', 'n.type as incident_type', 'n.updated_at as incident_updated_at', trx.raw('?? as held', [held]))
    .limit(options.limit);
  if (options.afterId) void qb.where('i.id', '>', options.afterId);
  if (options.excludeHeld) void qb.whereNot(held);
  void (options.oldestFirst ? qb.orderBy([{ column: 'i.created_at' }, { column: 'i.id' }]) : qb.orderBy('i.id'));
  if (options.lock) void qb.forUpdate('i').skipLocked();
  const rows = (await qb) as ScanRow[];
  return rows.map((r) => {
    const outcome = outcomeOf(r.incident_state);
    const rule = ruleFor(policies, { regionId: r.region_id, storeId: r.store_id, incidentType: r.incident_type, outcome });
    const reference = Math.max(r.created_at.getTime(), r.incident_updated_at?.getTime() ?? 0);
    return {
      tenantId: r.tenant_id, environment: r.environment, id: r.id, kind: r.kind, bytes: Number(r.bytes), sha256: r.sha256, storageKey: r.storage_key, storeId: r.store_id,
      incidentId: r.incident_id, createdAt: r.created_at, held: r.held, outcome, keepDays: rule.keepDays, policy: rule.source,
      expiresAt: new Date(reference + rule.keepDays * DAY_MS),
    };
  });
}

export async function tenantPolicies(db: Knex | Knex.Transaction, tenantId: string): Promise<RetentionPolicy[]> {
  return RetentionPolicy.forTenant(db, tenantId);
}

