import type { Knex } from 'knex';
import type { QueryBuilderType } from 'objection';
import type { StoreRule } from '../contracts/index.js';
import { BaseModel } from './base-model.js';

/** One saved version of a store's rule document; the newest is the one in force. */
export class StoreRulesVersion extends BaseModel {
  static override tableName = 'store_rule_versions';
  static override idColumn = ['tenant_id', 'store_id', 'version'];
  static override jsonAttributes = ['rules'];
  tenantId!: string;
  storeId!: string;
  version!: number;
  rules!: StoreRule[];
  savedBy!: string;
  savedAt!: Date;

  /** The versions of one store of the tenant (tenancy at the call site, as `TenantModel.forTenant`). */
  static forStore(trx: Knex | Knex.Transaction, tenantId: string, storeId: string): QueryBuilderType<StoreRulesVersion> {
    return StoreRulesVersion.query(trx).where({ 'store_rule_versions.tenant_id': tenantId, 'store_rule_versions.store_id': storeId });
  }
}
