import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { EvidenceHold } from '../../models/index.js';
import { evidenceLimitsSchema, type EvidenceKind, type EvidenceLimits, type PendingItem } from './item-spec.js';

export interface EvidenceItemRow {
  tenant_id: string;
  environment: string;
  id: string;
  kind: EvidenceKind;
  store_id: string;
  region_id: string;
  camera_id: string;
  incident_id: string | null;
  event_id: string | null;
  original_id: string | null;
  content_type: string;
  bytes: number;
  sha256: string;
  storage_backend: string;
  storage_key: string;
  captured_from: Date;
  captured_to: Date;
  metadata: PendingItem['metadata'];
  uploaded_by: string;
  created_at: Date;
}

export interface UploadRow {
  tenant_id: string;
  id: string;
  item_id: string;
  state: 'open' | 'complete' | 'refused';
  declared_bytes: number;
  declared_sha256: string;
  offset: number;
  staging_key: string;
  item: PendingItem;
  refusal: string | null;
  writing_until: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
}

export async function findItem(db: Knex | Knex.Transaction, tenantId: string, id: string): Promise<EvidenceItemRow | undefined> {
  return db<EvidenceItemRow>('evidence_items').where({ tenant_id: tenantId, id }).first();
}

export async function loadItem(db: Knex | Knex.Transaction, tenantId: string, id: string): Promise<EvidenceItemRow> {
  const row = await findItem(db, tenantId, id);
  if (!row) throw new AppError('not_found', 'evidence item not found');
  return row;
}

export async function tenantLimits(db: Knex | Knex.Transaction, tenantId: string): Promise<EvidenceLimits> {
  const row = await db('tenants').where({ id: tenantId }).first<{ settings: { evidence?: unknown } } | undefined>('settings');
  return limitsOf(row?.settings);
}

/** The evidence limits in a tenant's settings (the defaults where they are missing or malformed). */
export function limitsOf(settings: { evidence?: unknown } | null | undefined): EvidenceLimits {
  const parsed = evidenceLimitsSchema.safeParse(settings?.evidence ?? {});
  return parsed.success ? parsed.data : evidenceLimitsSchema.parse({});
}

/** Whether a hold (on the item or on its incident) is active: nothing held is ever deleted. */
export async function isHeld(db: Knex | Knex.Transaction, tenantId: string, item: { id: string; incident_id: string | null }): Promise<boolean> {
  const hold = await EvidenceHold.forTenant(db, tenantId)
    .whereNull('evidence_holds.released_at')
    .where((qb) => {
      void qb.where({ target_type: 'item', target_id: item.id });
      if (item.incident_id) void qb.orWhere({ target_type: 'incident', target_id: item.incident_id });
    })
    .first();
  return hold !== undefined;
}

/**
 * The tables as knex writes them: JSON columns go in as JSON text (node-postgres and PGlite would send a
 * JavaScript object as an array literal or not at all), and come back parsed.
 */
export type UploadTable = Knex.CompositeTableType<UploadRow, Omit<UploadRow, 'item' | 'created_at' | 'updated_at' | 'refusal' | 'writing_until'> & { item: string }, Partial<UploadRow>>;
export type ItemTable = Knex.CompositeTableType<EvidenceItemRow, Omit<EvidenceItemRow, 'metadata' | 'created_at'> & { metadata: string }>;
