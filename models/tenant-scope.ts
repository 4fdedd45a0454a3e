import type { Knex } from 'knex';
import { PRODUCTION_ENVIRONMENT } from '../contracts/index.js';
import { RUNTIME_ROLE } from './runtime-role.js';

export interface TenantScopeOptions {
  /**
   * `runtime` (the default) drops to the runtime role, which owns nothing and has no BYPASSRLS, so
   * row-level security confines every statement to the tenant. `owner` keeps the connecting role, for
   * background jobs and operator commands that must write what the runtime role may not.
   */
  as?: 'runtime' | 'owner';
  /** The environment inside the tenant (`vigil.environment`); production unless named. */
  environment?: string;
}

export const PRODUCTION = PRODUCTION_ENVIRONMENT;

/**
 * Binds one tenant and one of its environments to the transaction (`vigil.tenant_id` and
 * `vigil.environment`, which every row-level security policy reads; new data-plane rows take the
 * environment as their default). The one place the hub does so: API routes, raw-body routes, sign-in,
 * workers and the CLI all come here.
 */
export async function bindTenant(trx: Knex.Transaction, tenantId: string, options: TenantScopeOptions = {}): Promise<void> {
  const environment = options.environment ?? PRODUCTION;
  if (options.as === 'owner') await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('vigil.environment', ?, true)", [tenantId, environment]);
  else await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('vigil.environment', ?, true), set_config('role', ?, true)", [tenantId, environment, RUNTIME_ROLE]);
}

/**
 * Runs `work` with the transaction bound to another environment of the same tenant, then binds the one it
 * had again (the role is left as it is). For control-plane commands that check a target environment's
 * records, such as the stores a staging token is scoped to, from a request acting in production.
 */
export async function inEnvironment<T>(trx: Knex.Transaction, environment: string, work: () => Promise<T>): Promise<T> {
  const { rows } = await trx.raw<{ rows: Array<{ previous: string | null }> }>("SELECT current_setting('vigil.environment', true) AS previous");
  const previous = rows[0]?.previous || PRODUCTION;
  await trx.raw("SELECT set_config('vigil.environment', ?, true)", [environment]);
  try {
    return await work();
  } finally {
    await trx.raw("SELECT set_config('vigil.environment', ?, true)", [previous]);
  }
}

/** Runs `work` in a new transaction bound to `tenantId` (see bindTenant). */
export function withTenant<T>(knex: Knex, tenantId: string, options: TenantScopeOptions, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await bindTenant(trx, tenantId, options);
    return work(trx);
  });
}

/** The database handle and a transaction, named for layers that must not import knex themselves. */
export type DatabaseHandle = Knex;
export type Transaction = Knex.Transaction;

/** One environment of one tenant: what a background job binds for each slice of its work. */
export interface TenantScope {
  tenantId: string;
  environment: string;
}

/**
 * Every environment of every tenant (or of one), production first: background jobs (retention, fixity)
 * work one scope at a time as the runtime role, so row-level security keeps each slice in its environment.
 */
export async function environmentScopes(knex: Knex, onlyTenant?: string): Promise<TenantScope[]> {
  const query = knex('environments').select('tenant_id', 'name').orderBy('tenant_id').orderByRaw("name <> 'production', name");
  if (onlyTenant) void query.where('tenant_id', onlyTenant);
  const rows = (await query) as Array<{ tenant_id: string; name: string }>;
  return rows.map((r) => ({ tenantId: r.tenant_id, environment: r.name }));
}
