import Client_PG from 'knex/lib/dialects/postgres/index.js';
import Transaction_PG from 'knex/lib/dialects/postgres/execution/pg-transaction.js';
import { TENANT_BINDING_PARAM, TENANT_BOUND_PARAM, tenantBindingStatement, type TenantBinding } from '../../models/index.js';

/**
 * A transaction that sends BEGIN and the tenant binding of withTenant (models/tenant-scope.ts) as one
 * simple-protocol message, so a request's transaction starts in one round trip instead of two. Once BEGIN
 * has run it reports the binding it applied in `userParams`, where withTenant looks before skipping its own
 * binding statement. Without a binding in its options it begins as knex's own does.
 */
class TenantBoundTransaction extends Transaction_PG {
  private readonly binding: TenantBinding | undefined;

  constructor(client: unknown, container: unknown, config?: Record<string, unknown>, outerTx?: unknown) {
    super(client, container, config, outerTx);
    this.binding = config?.[TENANT_BINDING_PARAM] as TenantBinding | undefined;
  }

  override async begin(connection: unknown): Promise<unknown> {
    const statement = this.binding ? tenantBindingStatement(this.binding) : null;
    if (statement === null) return super.begin(connection);
    const result = await this.query(connection, `BEGIN; ${statement}`);
    this.userParams = { ...this.userParams, [TENANT_BOUND_PARAM]: this.binding };
    return result;
  }
}

/** knex's PostgreSQL client, with transactions that can bind their tenant at BEGIN. */
export class TenantBoundPgClient extends Client_PG {
  override transaction(container: unknown, config?: Record<string, unknown>, outerTx?: unknown): unknown {
    return new TenantBoundTransaction(this, container, config, outerTx);
  }
}
