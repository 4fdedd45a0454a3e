import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Evidence: items (bytes live in the evidence store, never in the database), resumable uploads, signed
// exports, per-tenant signing keys, retention policies and legal holds. Every table leads its keys with
// tenant_id (see the core schema).

const TS = 'timestamptz(3)';
const TABLES = ['evidence_keys', 'evidence_items', 'evidence_uploads', 'evidence_exports', 'evidence_holds', 'retention_policies'];

async function createKeysAndItems(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_keys', (t) => {
    t.text('tenant_id').primary().references('id').inTable('tenants');
    t.text('key_id').notNullable().comment('SHA-256 of the public key (SPKI DER), hex: names the key in bundles.');
    t.text('public_key_pem').notNullable();
    t.text('private_key_pem').notNullable().comment('ed25519 PKCS#8: signs bundle manifests.');
    t.text('url_secret').notNullable().comment('HMAC secret of the short-lived evidence URLs.');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('evidence_items', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('kind').notNullable().comment('clip | snapshot | metadata');
    t.text('store_id').notNullable();
    t.text('region_id').notNullable();
    t.text('camera_id').notNullable();
    t.text('incident_id').nullable();
    t.text('event_id').nullable();
    t.text('original_id').nullable().comment('For an overlay snapshot: the untouched snapshot it was drawn on.');
    t.text('content_type').notNullable();
    t.bigInteger('bytes').notNullable();
    t.text('sha256').notNullable().comment('Computed at capture on the edge and re-checked on arrival.');
    t.text('storage_backend').notNullable();
    t.text('storage_key').notNullable();
    t.specificType('captured_from', TS).notNullable();
    t.specificType('captured_to', TS).notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}').comment('Detections, rule, model and plugin versions.');
    t.text('uploaded_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'storage_key']);
    t.index(['tenant_id', 'incident_id']);
    t.index(['tenant_id', 'created_at']);
  });
}

async function createUploadsAndExports(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_uploads', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('item_id').notNullable().comment('The evd_ id the item gets once the upload completes.');
    t.text('state').notNullable().comment('open | complete | refused');
    t.bigInteger('declared_bytes').notNullable();
    t.text('declared_sha256').notNullable();
    t.bigInteger('offset').notNullable().defaultTo(0);
    t.text('staging_key').notNullable();
    t.jsonb('item').notNullable().comment('What the item will be: kind, camera, links, time span, metadata.');
    t.text('refusal').nullable();
    t.specificType('writing_until', TS).nullable().comment('A chunk is being written until then (one writer at a time).');
    t.text('created_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('expires_at', TS).notNullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'state', 'expires_at']);
  });
  await knex.schema.createTable('evidence_exports', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('incident_id').notNullable();
    t.boolean('redacted').notNullable();
    t.bigInteger('bytes').notNullable();
    t.text('sha256').notNullable();
    t.text('storage_key').notNullable();
    t.text('created_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'incident_id']);
  });
}

async function createRetention(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence_holds', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('target_type').notNullable().comment('incident | item');
    t.text('target_id').notNullable();
    t.text('reason').notNullable();
    t.text('placed_by').notNullable();
    t.specificType('placed_at', TS).notNullable();
    t.text('released_by').nullable();
    t.specificType('released_at', TS).nullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'target_type', 'target_id']);
  });
  // At most one active hold per target: placing twice is idempotent.
  await knex.raw('CREATE UNIQUE INDEX evidence_holds_active ON evidence_holds (tenant_id, target_type, target_id) WHERE released_at IS NULL');
  await knex.schema.createTable('retention_policies', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('region_id').nullable();
    t.text('store_id').nullable();
    t.text('incident_type').nullable();
    t.text('outcome').notNullable().comment('dismissed | unreviewed | verified');
    t.integer('keep_days').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
  });
  await knex.raw(
    "CREATE UNIQUE INDEX retention_policies_scope ON retention_policies (tenant_id, coalesce(region_id, ''), coalesce(store_id, ''), coalesce(incident_type, ''), outcome)",
  );
}

export async function up(knex: Knex): Promise<void> {
  await createKeysAndItems(knex);
  await createUploadsAndExports(knex);
  await createRetention(knex);
  for (const table of TABLES) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantRls(knex, table);
    await knex.schema.dropTableIfExists(table);
  }
}
