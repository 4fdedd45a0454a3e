import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Pending OpenID Connect logins carry the tenant they will log into; like every tenant table they get
// row-level security. The callback reads them before any tenant is bound, as the owner role, which row-level
// security does not restrict (superuser, or BYPASSRLS as the README asks of the owner in production).
export async function up(knex: Knex): Promise<void> {
  await enableTenantRls(knex, 'oidc_logins');
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, 'oidc_logins');
}
