import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Webhook endpoints, the delivery outbox, routing policies and POS transactions (issue 5).
// Every tenant table leads its keys with tenant_id; timestamps are timestamptz(3).

const TS = 'timestamptz(3)';

async function createEndpoints(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('url').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.specificType('event_types', 'text[]').notNullable();
    t.text('format').notNullable().defaultTo('standard').comment('standard | teams | slack | servicenow');
    t.boolean('full_payload').notNullable().defaultTo(false);
    t.text('secret').notNullable().comment('whsec_ secret; shown once at creation and rotation.');
    t.text('previous_secret').nullable().comment('Still signs beside the new one until previous_secret_expires_at.');
    t.specificType('previous_secret_expires_at', TS).nullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('disabled_reason').nullable();
    t.integer('rate_limit_per_second').nullable();
    t.jsonb('headers').notNullable().defaultTo('{}');
    t.jsonb('config').notNullable().defaultTo('{}').comment('Format-specific settings (ServiceNow instance, auth, field mapping).');
    t.specificType('failing_since', TS).nullable().comment('First failure of the current unbroken run of failures.');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
  });
  await knex.schema.createTable('webhook_settings', (t) => {
    t.text('tenant_id').primary().references('id').inTable('tenants');
    t.specificType('allowed_subnets', 'cidr[]').notNullable().defaultTo('{}').comment('Private subnets this tenant may deliver to (SSRF guard).');
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
  });
}

async function createOutbox(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_messages', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable().comment('msg_ id; sent as webhook-id to every endpoint.');
    t.text('event_type').notNullable();
    t.text('subject_id').nullable();
    t.jsonb('data').notNullable().comment('Full data; thin endpoints receive a projection.');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('message_id').notNullable();
    t.text('endpoint_id').notNullable();
    t.text('status').notNullable().defaultTo('pending').comment('pending | succeeded | failed | aborted | skipped');
    t.integer('attempt_count').notNullable().defaultTo(0);
    t.specificType('next_attempt_at', TS).notNullable().defaultTo(knex.fn.now()).comment('Due time; a claim pushes it out by the lease.');
    t.integer('last_status_code').nullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'message_id']).references(['tenant_id', 'id']).inTable('webhook_messages');
    t.foreign(['tenant_id', 'endpoint_id']).references(['tenant_id', 'id']).inTable('webhook_endpoints');
    t.index(['tenant_id', 'endpoint_id', 'status', 'created_at']);
    t.index(['tenant_id', 'message_id']);
  });
  // The workers' claim query scans only due, pending rows across tenants.
  await knex.raw("CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'");
  await knex.raw(`
    CREATE TABLE webhook_attempts (
      tenant_id text NOT NULL,
      id text NOT NULL,
      occurred_at ${TS} NOT NULL,
      delivery_id text NOT NULL,
      message_id text NOT NULL,
      endpoint_id text NOT NULL,
      attempt integer NOT NULL,
      outcome text NOT NULL,
      status_code integer,
      latency_ms integer NOT NULL,
      response_excerpt text,
      error text,
      PRIMARY KEY (tenant_id, id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
  await knex.raw('CREATE TABLE webhook_attempts_default PARTITION OF webhook_attempts DEFAULT');
  await knex.raw('CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (tenant_id, endpoint_id, id)');
  await knex.schema.createTable('ticket_links', (t) => {
    t.text('tenant_id').notNullable();
    t.text('endpoint_id').notNullable();
    t.text('subject_id').notNullable();
    t.text('external_id').notNullable().comment('ServiceNow sys_id.');
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'endpoint_id', 'subject_id']);
  });
}

async function createRouting(knex: Knex): Promise<void> {
  await knex.schema.createTable('routing_policies', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.text('region_id').nullable();
    t.text('store_id').nullable();
    t.specificType('incident_types', 'text[]').notNullable().defaultTo('{}').comment('Empty: every type.');
    t.specificType('severities', 'text[]').notNullable().defaultTo('{}').comment('Empty: every severity.');
    t.specificType('endpoint_ids', 'text[]').notNullable();
    t.jsonb('quiet_hours').nullable().comment('{ start: "HH:MM", end: "HH:MM" } in the store\'s time zone.');
    t.integer('cooldown_seconds').notNullable().defaultTo(0);
    t.integer('escalate_after_minutes').nullable();
    t.specificType('escalation_endpoint_ids', 'text[]').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
  });
  await knex.schema.createTable('routing_cooldowns', (t) => {
    t.text('tenant_id').notNullable();
    t.text('policy_id').notNullable();
    t.text('camera_id').notNullable();
    t.text('type').notNullable();
    t.specificType('last_sent_at', TS).notNullable();
    t.primary(['tenant_id', 'policy_id', 'camera_id', 'type']);
  });
  await knex.schema.createTable('routing_escalations', (t) => {
    t.text('tenant_id').notNullable();
    t.text('incident_id').notNullable();
    t.text('policy_id').notNullable();
    t.specificType('due_at', TS).notNullable();
    t.specificType('done_at', TS).nullable();
    t.text('result').nullable();
    t.primary(['tenant_id', 'incident_id', 'policy_id']);
  });
  await knex.raw('CREATE INDEX routing_escalations_due ON routing_escalations (due_at) WHERE done_at IS NULL');
}

async function createPos(knex: Knex): Promise<void> {
  // occurred_at is the business day (00:00 UTC of the store's business date): it is the partition key and
  // part of the idempotency key store + workstation + sequence + business day.
  await knex.raw(`
    CREATE TABLE pos_transactions (
      tenant_id text NOT NULL,
      id text NOT NULL,
      occurred_at ${TS} NOT NULL,
      pos_store_id text NOT NULL,
      workstation_id text NOT NULL,
      sequence_number text NOT NULL,
      store_id text,
      lane_id text,
      is_matched boolean NOT NULL,
      begin_at ${TS},
      end_at ${TS},
      operator_id text,
      kind text NOT NULL,
      exceptions text[] NOT NULL DEFAULT '{}',
      total numeric(14, 2),
      line_items jsonb NOT NULL DEFAULT '[]',
      raw jsonb NOT NULL,
      received_at ${TS} NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, pos_store_id, workstation_id, sequence_number, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
  await knex.raw('CREATE TABLE pos_transactions_default PARTITION OF pos_transactions DEFAULT');
  await knex.raw('CREATE INDEX pos_transactions_lane_time ON pos_transactions (tenant_id, lane_id, begin_at)');
  await knex.raw('CREATE INDEX pos_transactions_unmatched ON pos_transactions (tenant_id, received_at) WHERE NOT is_matched');
}

const TENANT_TABLES = [
  'webhook_endpoints', 'webhook_settings', 'webhook_messages', 'webhook_deliveries', 'webhook_attempts', 'ticket_links',
  'routing_policies', 'routing_cooldowns', 'routing_escalations', 'pos_transactions',
];

export async function up(knex: Knex): Promise<void> {
  await createEndpoints(knex);
  await createOutbox(knex);
  await createRouting(knex);
  await createPos(knex);
  for (const table of TENANT_TABLES) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TENANT_TABLES].reverse()) {
    await disableTenantRls(knex, table);
  }
  for (const table of ['pos_transactions', 'routing_escalations', 'routing_cooldowns', 'routing_policies', 'ticket_links', 'webhook_attempts', 'webhook_deliveries', 'webhook_messages', 'webhook_settings', 'webhook_endpoints']) {
    await knex.schema.dropTableIfExists(table);
  }
}
