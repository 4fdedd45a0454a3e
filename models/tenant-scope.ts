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

/** What bindTenant sets, handed to a database client that binds it in the transaction's first round trip. */
export interface TenantBinding {
  tenantId: string;
  environment: string;
  /** The role to drop to; null keeps the connecting role. */
  role: string | null;
}

/**
 * The transaction option that hands the binding to such a client, and the `userParams` key under which the
 * client reports, once BEGIN has run, the binding it applied (the same object). Anything short of that
 * report is bound with a statement of its own, so a transaction is never left unbound.
 */
export const TENANT_BINDING_PARAM = 'vigilTenantBinding';
export const TENANT_BOUND_PARAM = 'vigilTenantBound';

const PLAIN_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * bindTenant's statement with its values written as literals, for a client that sends it in one message
 * with BEGIN (the simple query protocol takes no parameters). Only plain names qualify (tenant ids,
 * environment and role names are all of this form); anything else answers null and is bound with
 * parameters instead.
 */
export function tenantBindingStatement(binding: TenantBinding): string | null {
  const values = [binding.tenantId, binding.environment, ...(binding.role === null ? [] : [binding.role])];
  if (!values.every((v) => PLAIN_NAME.test(v))) return null;
  const role = binding.role === null ? '' : `, set_config('role', '${binding.role}', true)`;
  return `SELECT set_config('vigil.tenant_id', '${binding.tenantId}', true), set_config('vigil.environment', '${binding.environment}', true)${role}`;
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
  const binding: TenantBinding = { tenantId, environment: options.environment ?? PRODUCTION, role: options.as === 'owner' ? null : RUNTIME_ROLE };
  // On PostgreSQL a top-level transaction is bound in the round trip of its BEGIN (hub/db/tenant-bound-pg-client.ts);
  // a nested one (a savepoint has no BEGIN) or PGlite is bound with a statement of its own.
  const config = { [TENANT_BINDING_PARAM]: binding } as Knex.TransactionConfig;
  return knex.transaction(async (trx) => {
    if (trx.userParams?.[TENANT_BOUND_PARAM] !== binding) await bindTenant(trx, tenantId, options);
    return work(trx);
  }, config);
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
