import type { Knex } from 'knex';
import { RUNTIME_ROLE } from './support/rls.js';

// Issue "Analytics": the digest cadence is a tenant setting that an admin changes through the API
// (`PUT /v1/analytics/digest-settings`). The runtime role may update only the settings column, and the
// tenant_isolation policy keeps it to the bound tenant.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`GRANT UPDATE (settings) ON tenants TO ${RUNTIME_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`REVOKE UPDATE (settings) ON tenants FROM ${RUNTIME_ROLE}`);
}
