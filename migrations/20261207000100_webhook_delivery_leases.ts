import type { Knex } from 'knex';

// Delivery leases that match sending (issue 21).
//
// A claim no longer pushes next_attempt_at out: it writes the lease into columns no index covers, so the
// claim is a HOT update (no new index entries, the old version pruned on its own page). The lease names
// its worker and the attempt it started (recorded as `sending` in webhook_attempts in the same statement);
// the outcome is written into that attempt row and fenced on lease_attempt_id.
//
// webhook_workers holds one row per running delivery worker with its heartbeat, so a worker that died
// (kill -9, lost host) is recognised and its claims are given back long before their lease would expire.

const TS = 'timestamptz(3)';

// The queue table is updated twice per delivery: leave room on each page for the HOT claim, and vacuum
// and analyze it after a fixed number of changes instead of a fraction of an ever-growing table.
const QUEUE_STORAGE = [
  'fillfactor = 70',
  'autovacuum_vacuum_scale_factor = 0', 'autovacuum_vacuum_threshold = 2000',
  'autovacuum_vacuum_insert_scale_factor = 0', 'autovacuum_vacuum_insert_threshold = 5000',
  'autovacuum_analyze_scale_factor = 0', 'autovacuum_analyze_threshold = 2000',
];
const MESSAGE_STORAGE = ['autovacuum_analyze_scale_factor = 0', 'autovacuum_analyze_threshold = 5000'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_deliveries', (t) => {
    t.text('lease_owner').nullable().comment('webhook_workers.id of the worker sending it now; null when not claimed.');
    t.specificType('lease_expires_at', TS).nullable().comment('The claim is void after this even if its worker looks alive.');
    t.text('lease_attempt_id').nullable().comment('The webhook_attempts row (outcome sending) of the attempt under way.');
    t.specificType('lease_started_at', TS).nullable().comment('occurred_at of that attempt row (its partition key).');
  });
  await knex.raw(`ALTER TABLE webhook_deliveries SET (${QUEUE_STORAGE.join(', ')})`);
  await knex.raw(`ALTER TABLE webhook_messages SET (${MESSAGE_STORAGE.join(', ')})`);
  await knex.schema.createTable('webhook_workers', (t) => {
    t.text('id').primary();
    t.text('host_key').nullable().comment('Host name and PID namespace: a worker there can tell whether `pid` still runs.');
    t.integer('pid').notNullable();
    t.specificType('started_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('heartbeat_at', TS).notNullable().defaultTo(knex.fn.now());
  });
  // Heartbeats rewrite every row about once a second: keep them HOT.
  await knex.raw('ALTER TABLE webhook_workers SET (fillfactor = 50)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_workers');
  await knex.raw(`ALTER TABLE webhook_messages RESET (${MESSAGE_STORAGE.map((s) => s.split(' ')[0]).join(', ')})`);
  await knex.raw(`ALTER TABLE webhook_deliveries RESET (${QUEUE_STORAGE.map((s) => s.split(' ')[0]).join(', ')})`);
  await knex.schema.alterTable('webhook_deliveries', (t) => {
    t.dropColumns('lease_owner', 'lease_expires_at', 'lease_attempt_id', 'lease_started_at');
  });
}
