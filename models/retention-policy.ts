import { TenantModel } from './base-model.js';

/** How retention classes an item: how its incident ended, or that nobody has looked at it yet. */
export type RetentionOutcome = 'dismissed' | 'unreviewed' | 'verified';

/** Keep evidence of one outcome N days, optionally only in a region, a store or for an incident type. */
export class RetentionPolicy extends TenantModel {
  static override tableName = 'retention_policies';
  static override idColumn = ['tenant_id', 'id'];
  regionId!: string | null;
  storeId!: string | null;
  incidentType!: string | null;
  outcome!: RetentionOutcome;
  keepDays!: number;
  createdAt!: Date;
}
