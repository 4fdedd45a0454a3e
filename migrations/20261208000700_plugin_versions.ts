import type { Knex } from 'knex';

// Issue "Packaging": the hub shows which plugins run a version older than it supports. Each plugin token keeps
// the last version its plugin reported (User-Agent `vigil-plugin/<version>`) and when.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE api_tokens ADD COLUMN plugin_version text');
  await knex.raw('ALTER TABLE api_tokens ADD COLUMN plugin_version_seen_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE api_tokens DROP COLUMN plugin_version_seen_at');
  await knex.raw('ALTER TABLE api_tokens DROP COLUMN plugin_version');
}
