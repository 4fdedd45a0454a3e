import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: analytics_digests, one digest per tenant, environment, region, cadence (daily or weekly)
// and closed period, built by the worker from the rollups once the period has closed. `content` holds the
// figures (JSON), `html` the e-mail-ready rendering of the same figures. The unique key makes the job
// idempotent: a second run finds the digest and writes neither a row nor a webhook message.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_digests (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      id text NOT NULL,
      region_id text NOT NULL,
      cadence text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      content jsonb NOT NULL,
      html text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
  await knex.raw('CREATE UNIQUE INDEX analytics_digests_period ON analytics_digests (tenant_id, environment, region_id, cadence, period_start)');
  // The list reads a tenant's newest digests first.
  await knex.raw('CREATE INDEX analytics_digests_newest ON analytics_digests (tenant_id, environment, period_start DESC, id DESC)');
  await enableEnvironmentRls(knex, 'analytics_digests');
  // The worker writes each environment's digests as the runtime role (row-level security keeps it in the environment); a digest never changes.
  await knex.raw(`REVOKE UPDATE, DELETE ON analytics_digests FROM ${RUNTIME_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE analytics_digests');
}
