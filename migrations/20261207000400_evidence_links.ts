import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Signed evidence links as records: who issued each (and with which API token or console session, so the link
// dies with its credential), what it serves (the original or the redacted rendition), until when, and when it
// was first used (one `evidence.viewed` per link however many Range requests a player sends).

const TABLE = 'evidence_links';
const TS = 'timestamptz(3)';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable(TABLE, (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable().comment('lnk_ id, signed into the URL');
    t.text('target_id').notNullable().comment('evd_ item or exp_ export');
    t.text('variant').notNullable().comment('original | redacted');
    t.text('storage_key').notNullable().comment('The object served: the item, its redacted rendition, or the export');
    t.bigInteger('bytes').notNullable();
    t.text('disposition').notNullable().comment('inline | attachment');
    t.text('principal_id').notNullable();
    t.text('token_id').nullable().comment('The API token that issued the link: revoking it kills the link');
    t.text('session_id').nullable().comment('The console session that issued the link: ending it kills the link');
    t.specificType('issued_at', TS).notNullable();
    t.specificType('expires_at', TS).notNullable();
    t.specificType('used_at', TS).nullable().comment('First use: the one audited view or download of this link');
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'expires_at']);
  });
  await knex.raw(`ALTER TABLE ${TABLE} ADD CONSTRAINT evidence_links_variant CHECK (variant IN ('original', 'redacted'))`);
  await knex.raw(`ALTER TABLE ${TABLE} ADD CONSTRAINT evidence_links_disposition CHECK (disposition IN ('inline', 'attachment'))`);
  await enableTenantRls(knex, TABLE);
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, TABLE);
  await knex.schema.dropTableIfExists(TABLE);
}
