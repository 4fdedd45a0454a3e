import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Evidence custody (issue 17):
// 1. evidence_signing_keys: a tenant's ed25519 bundle-signing keys, the private half sealed with the hub's
//    secrets key (SecretBox, enc:v1:…), rotated with the old keys kept (retired) for verification. The
//    plaintext key moves out of evidence_keys, which keeps only the signed-link secret; the moved value is
//    sealed the first time the hub reads it (a plaintext value opens as is until then).
// 2. evidence_export_items: which items each export holds, so retention removes exports with purged items.
// 3. evidence_exports gains the chain-of-custody fields (case number, recipient, purpose) and its key id.
// 4. evidence_fixity: the last fixity check of each item; evidence_fixity_runs: hub-wide job rounds (health).

const TS = 'timestamptz(3)';
const TENANT_TABLES = ['evidence_signing_keys', 'evidence_export_items', 'evidence_fixity'];

async function createSigningKeys(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_signing_keys', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('key_id').notNullable().comment('SHA-256 of the public key (SPKI DER), hex: the kid in bundles and key sets.');
    t.text('public_key_pem').notNullable();
    t.text('private_key_sealed').notNullable().comment('ed25519 PKCS#8 PEM sealed with the hub secrets key (enc:v1:…).');
    t.text('state').notNullable().comment('active | retired');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('retired_at', TS).nullable();
    t.primary(['tenant_id', 'key_id']);
  });
  await knex.raw("CREATE UNIQUE INDEX evidence_signing_keys_active ON evidence_signing_keys (tenant_id) WHERE state = 'active'");
  await knex.raw(`INSERT INTO evidence_signing_keys (tenant_id, key_id, public_key_pem, private_key_sealed, state, created_at)
    SELECT tenant_id, key_id, public_key_pem, private_key_pem, 'active', created_at FROM evidence_keys WHERE private_key_pem IS NOT NULL`);
  for (const column of ['private_key_pem', 'key_id', 'public_key_pem']) await knex.raw(`ALTER TABLE evidence_keys ALTER COLUMN ${column} DROP NOT NULL`);
  await knex.raw('UPDATE evidence_keys SET private_key_pem = NULL, key_id = NULL, public_key_pem = NULL');
}

async function createExportItemsAndFixity(knex: Knex): Promise<void> {
  await knex.schema.alterTable('evidence_exports', (t) => {
    t.text('case_number').nullable();
    t.text('recipient').nullable();
    t.text('purpose').nullable();
    t.text('key_id').nullable();
  });
  await knex.schema.createTable('evidence_export_items', (t) => {
    t.text('tenant_id').notNullable();
    t.text('export_id').notNullable();
    t.text('item_id').notNullable();
    t.primary(['tenant_id', 'export_id', 'item_id']);
    t.index(['tenant_id', 'item_id']);
  });
  // Exports made before: they hold the items their incident had (the closest record there is).
  await knex.raw(`INSERT INTO evidence_export_items (tenant_id, export_id, item_id)
    SELECT e.tenant_id, e.id, i.id FROM evidence_exports e JOIN evidence_items i ON i.tenant_id = e.tenant_id AND i.incident_id = e.incident_id`);
  await knex.schema.createTable('evidence_fixity', (t) => {
    t.text('tenant_id').notNullable();
    t.text('item_id').notNullable();
    t.specificType('checked_at', TS).notNullable();
    t.boolean('ok').notNullable();
    t.text('actual_sha256').nullable();
    t.bigInteger('actual_bytes').nullable();
    t.text('incident_id').nullable().comment('The integrity incident opened at the first failure.');
    t.primary(['tenant_id', 'item_id']);
    t.index(['tenant_id', 'checked_at']);
  });
  await knex.schema.createTable('evidence_fixity_runs', (t) => {
    t.bigIncrements('id');
    t.specificType('started_at', TS).notNullable();
    t.specificType('finished_at', TS).notNullable();
    t.integer('checked').notNullable();
    t.integer('failed').notNullable();
    t.integer('unreadable').notNullable();
  });
}

export async function up(knex: Knex): Promise<void> {
  await createSigningKeys(knex);
  await createExportItemsAndFixity(knex);
  for (const table of TENANT_TABLES) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TENANT_TABLES].reverse()) await disableTenantRls(knex, table);
  await knex.schema.dropTableIfExists('evidence_fixity_runs');
  await knex.schema.dropTableIfExists('evidence_fixity');
  await knex.schema.dropTableIfExists('evidence_export_items');
  await knex.schema.alterTable('evidence_exports', (t) => {
    t.dropColumn('case_number');
    t.dropColumn('recipient');
    t.dropColumn('purpose');
    t.dropColumn('key_id');
  });
  // Sealed values go back as they are: `vigil evidence keys` on the older code cannot open them, so a
  // downgrade keeps the hub secrets key (the value opens with SecretBox) or re-creates the tenant keys.
  await knex.raw(`UPDATE evidence_keys k SET private_key_pem = s.private_key_sealed, key_id = s.key_id, public_key_pem = s.public_key_pem
    FROM evidence_signing_keys s WHERE s.tenant_id = k.tenant_id AND s.state = 'active'`);
  await knex.raw('DELETE FROM evidence_keys WHERE private_key_pem IS NULL');
  for (const column of ['private_key_pem', 'key_id', 'public_key_pem']) await knex.raw(`ALTER TABLE evidence_keys ALTER COLUMN ${column} SET NOT NULL`);
  await knex.schema.dropTableIfExists('evidence_signing_keys');
}
