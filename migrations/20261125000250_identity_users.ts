import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// People who log in through OpenID Connect (or were entered by an admin), their console sessions, and the
// short-lived pending logins of the authorization code flow. Sessions and pending logins live here, not
// in process memory, so any number of API processes can serve the same browser.

const TS = 'timestamptz(3)';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('email').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.text('role').notNullable();
    t.specificType('store_ids', 'text[]').notNullable().defaultTo('{}');
    t.specificType('region_ids', 'text[]').notNullable().defaultTo('{}');
    t.text('issuer').nullable().comment('OpenID provider that vouches for this user; null until the first login of an admin-provisioned user.');
    t.text('subject').nullable().comment('The provider\'s stable `sub` for this user.');
    t.text('provisioned_by').notNullable().comment("'oidc': role and scope follow the provider's claims at each login; 'admin': an admin set them.");
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('last_login_at', TS).nullable();
    t.specificType('disabled_at', TS).nullable();
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'issuer', 'subject']);
    t.unique(['tenant_id', 'email']);
  });
  await knex.raw("ALTER TABLE users ADD CONSTRAINT users_provisioned_by CHECK (provisioned_by IN ('oidc', 'admin'))");
  await knex.schema.createTable('sessions', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('secret_hash').notNullable().comment('SHA-256 of the cookie secret; the secret itself is only in the browser.');
    t.text('user_id').notNullable();
    t.text('id_token').nullable().comment('Kept for RP-initiated logout (id_token_hint).');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('expires_at', TS).notNullable();
    t.specificType('last_seen_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'user_id']).references(['tenant_id', 'id']).inTable('users').onDelete('CASCADE');
    t.index(['tenant_id', 'user_id']);
    t.index(['expires_at']);
  });
  await knex.schema.createTable('oidc_logins', (t) => {
    t.text('state_hash').primary().comment('SHA-256 of the state parameter; a row is consumed (deleted) by its callback.');
    t.text('tenant_id').notNullable();
    t.text('nonce').notNullable();
    t.text('code_verifier').notNullable();
    t.text('return_to').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('expires_at', TS).notNullable();
    t.index(['expires_at']);
  });
  await enableTenantRls(knex, 'users');
  await enableTenantRls(knex, 'sessions');
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, 'sessions');
  await disableTenantRls(knex, 'users');
  await knex.schema.dropTable('oidc_logins');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
