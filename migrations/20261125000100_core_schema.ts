import type { Knex } from 'knex';

// Every tenant table carries tenant_id and leads its primary and unique keys with it, so the schema can be
// distributed by tenant (Citus) without a rewrite. Timestamps are timestamptz(3): millisecond precision
// round-trips exactly through JavaScript dates, which the audit hash chain relies on.

const TS = 'timestamptz(3)';

function timestamps(t: Knex.CreateTableBuilder, knex: Knex): void {
  t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
  t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
}

async function createDirectory(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.jsonb('settings').notNullable().defaultTo('{}');
    timestamps(t, knex);
  });
  await knex.schema.createTable('regions', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('name').notNullable();
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.createTable('stores', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('region_id').notNullable();
    t.text('name').notNullable();
    t.text('code').notNullable().comment('Store number as the POS and the business know it.');
    t.text('timezone').notNullable();
    t.jsonb('address').notNullable().defaultTo('{}');
    t.jsonb('settings').notNullable().defaultTo('{}');
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'code']);
    t.foreign(['tenant_id', 'region_id']).references(['tenant_id', 'id']).inTable('regions');
    t.index(['tenant_id', 'region_id']);
  });
  await knex.schema.createTable('lanes', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('store_id').notNullable();
    t.text('name').notNullable();
    t.text('pos_workstation_id').nullable();
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'store_id', 'pos_workstation_id']);
    t.foreign(['tenant_id', 'store_id']).references(['tenant_id', 'id']).inTable('stores');
  });
  await knex.schema.createTable('cameras', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('store_id').notNullable();
    t.text('lane_id').nullable();
    t.text('name').notNullable();
    t.jsonb('onvif').notNullable().defaultTo('{}').comment('Identity read over ONVIF: manufacturer, model, serial, hardware id, device URL.');
    t.jsonb('streams').notNullable().defaultTo('{}').comment('Stream URIs per purpose (analysis, evidence), without credentials.');
    t.jsonb('zones').notNullable().defaultTo('[]');
    t.jsonb('health').notNullable().defaultTo('{}');
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'store_id']).references(['tenant_id', 'id']).inTable('stores');
    t.foreign(['tenant_id', 'lane_id']).references(['tenant_id', 'id']).inTable('lanes');
    t.index(['tenant_id', 'store_id']);
  });
  await knex.schema.createTable('devices', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.specificType('store_ids', 'text[]').notNullable().defaultTo('{}');
    t.text('version').nullable();
    t.specificType('last_seen_at', TS).nullable();
    t.jsonb('health').notNullable().defaultTo('{}');
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
  });
}

async function createAccess(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('token_hash').notNullable().unique().comment('SHA-256 of the token; the token itself is shown once.');
    t.text('display_prefix').notNullable();
    t.text('name').notNullable();
    t.text('role').notNullable();
    t.text('principal_id').notNullable().comment('usr_, svc_ or dev_ id the token speaks for.');
    t.specificType('store_ids', 'text[]').notNullable().defaultTo('{}');
    t.specificType('region_ids', 'text[]').notNullable().defaultTo('{}');
    t.text('created_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('expires_at', TS).nullable();
    t.specificType('revoked_at', TS).nullable();
    t.specificType('last_used_at', TS).nullable();
    t.primary(['tenant_id', 'id']);
  });
}

async function createIncidents(knex: Knex): Promise<void> {
  await knex.schema.createTable('incidents', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('store_id').notNullable();
    t.text('region_id').notNullable();
    t.text('lane_id').nullable();
    t.text('camera_id').notNullable();
    t.text('type').notNullable();
    t.text('severity').notNullable();
    t.text('state').notNullable();
    t.text('assignee_id').nullable();
    t.double('confidence').notNullable();
    t.integer('event_count').notNullable().defaultTo(1);
    t.specificType('opened_at', TS).notNullable().comment('Time of the first event.');
    t.specificType('last_event_at', TS).notNullable();
    t.text('dismiss_reason').nullable();
    t.jsonb('outcome').nullable();
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t, knex);
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'store_id']).references(['tenant_id', 'id']).inTable('stores');
    t.foreign(['tenant_id', 'camera_id']).references(['tenant_id', 'id']).inTable('cameras');
    t.index(['tenant_id', 'store_id', 'id']);
    t.index(['tenant_id', 'region_id', 'id']);
    t.index(['tenant_id', 'camera_id', 'type', 'last_event_at']);
    t.index(['tenant_id', 'state', 'id']);
  });
  await knex.schema.createTable('incident_transitions', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('incident_id').notNullable();
    t.text('action').notNullable();
    t.text('from_state').notNullable();
    t.text('to_state').notNullable();
    t.text('actor_id').notNullable();
    t.text('reason').nullable();
    t.jsonb('outcome').nullable();
    t.specificType('at', TS).notNullable();
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'incident_id']).references(['tenant_id', 'id']).inTable('incidents');
    t.index(['tenant_id', 'incident_id', 'id']);
  });
  await knex.schema.createTable('incident_comments', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('incident_id').notNullable();
    t.text('author_id').notNullable();
    t.text('body').notNullable();
    t.specificType('at', TS).notNullable();
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'incident_id']).references(['tenant_id', 'id']).inTable('incidents');
    t.index(['tenant_id', 'incident_id', 'id']);
  });
}

// High-volume append tables are partitioned by time (monthly partitions made ahead by the hub, plus a
// default partition so no row is ever refused); retention drops whole partitions.
async function createAppendTables(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE detection_events (
      tenant_id text NOT NULL,
      id text NOT NULL,
      occurred_at ${TS} NOT NULL,
      received_at ${TS} NOT NULL DEFAULT now(),
      store_id text NOT NULL,
      camera_id text NOT NULL,
      lane_id text,
      source_id text NOT NULL,
      type text NOT NULL,
      severity text NOT NULL,
      confidence double precision NOT NULL,
      incident_id text,
      payload jsonb NOT NULL,
      PRIMARY KEY (tenant_id, id, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
  await knex.raw('CREATE TABLE detection_events_default PARTITION OF detection_events DEFAULT');
  await knex.raw('CREATE INDEX detection_events_incident ON detection_events (tenant_id, incident_id)');
  await knex.raw('CREATE INDEX detection_events_camera_time ON detection_events (tenant_id, camera_id, occurred_at)');

  await knex.raw(`
    CREATE TABLE audit_records (
      tenant_id text NOT NULL,
      seq bigint NOT NULL,
      id text NOT NULL,
      occurred_at ${TS} NOT NULL,
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      before jsonb,
      after jsonb,
      request_id text,
      client_address text,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (tenant_id, seq, occurred_at)
    ) PARTITION BY RANGE (occurred_at)`);
  await knex.raw('CREATE TABLE audit_records_default PARTITION OF audit_records DEFAULT');
  await knex.raw('CREATE INDEX audit_records_subject ON audit_records (tenant_id, subject_type, subject_id)');
  await knex.schema.createTable('audit_heads', (t) => {
    t.text('tenant_id').primary().references('id').inTable('tenants');
    t.bigInteger('seq').notNullable();
    t.text('hash').notNullable();
  });
}

export async function up(knex: Knex): Promise<void> {
  await createDirectory(knex);
  await createAccess(knex);
  await createIncidents(knex);
  await createAppendTables(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_heads',
    'audit_records',
    'detection_events',
    'incident_comments',
    'incident_transitions',
    'incidents',
    'api_tokens',
    'devices',
    'cameras',
    'lanes',
    'stores',
    'regions',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
