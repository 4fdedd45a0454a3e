import type { Knex } from 'knex';
import { Model, snakeCaseMappers, type QueryBuilderType } from 'objection';

/**
 * Base of every hub table model: snake_case columns in the database, camelCase in code, and explicit
 * json attributes (objection would otherwise serialise text[] columns as JSON).
 */
export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }
  static override jsonAttributes: string[] = [];
}

/**
 * A tenant-owned row. `forTenant` is the one way handlers query such a table, so tenancy is visible at
 * the call site and never remembered inside a handler.
 */
export class TenantModel extends BaseModel {
  tenantId!: string;
  id!: string;

  static forTenant<M extends TenantModel>(this: (new () => M) & typeof TenantModel, trx: Knex.Transaction | Knex, tenantId: string): QueryBuilderType<M> {
    return this.query(trx).where(`${this.tableName}.tenant_id`, tenantId);
  }
}
