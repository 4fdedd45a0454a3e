import type { Knex } from 'knex';

// Inbound signatures: a tenant may require that what its systems post to the hub (POS exports) carries a
// Standard Webhooks signature made with this secret.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_settings', (t) => {
    t.text('inbound_secret').nullable().comment('whsec_ secret inbound posts must be signed with; null: not required.');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_settings', (t) => {
    t.dropColumn('inbound_secret');
  });
}
