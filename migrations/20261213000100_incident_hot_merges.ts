import type { Knex } from 'knex';
import { INCIDENT_BUCKET_ORIGIN, MERGE_BUCKET, STREAM_BUCKET } from '../models/incident-buckets.js';

// Issue "Hub throughput", two changes to the incidents' indexes:
//
// 1. Every incident query carries the row-level security predicate `environment = current_setting(…)`, and
//    `incidents_opened_hour (tenant_id, environment, store_id, opened_at)` matched more of it than the merge
//    lookup's own index (tenant_id, camera_id, type, last_event_at). On a table never analysed the planner
//    took the analytics index: each camera-and-type probe of ingest scanned every incident of the tenant
//    opened before the batch (16,000 buffers for a batch of 40 pairs, growing with the table), and POS
//    correlation scanned the store's history. The lookups' indexes now lead with the environment too.
//
// 2. Merging events into an open incident changes `last_event_at`, `event_count`, `confidence` and
//    `updated_at`. With `last_event_at` and `updated_at` indexed, no merge was a HOT update: each wrote a new
//    entry into all ten indexes (a batch of 40 merged incidents: 400 index insertions, most of the write's
//    time). The indexes now hold coarse buckets of those times, generated columns that change once a bucket
//    (15 minutes of activity, 10 seconds of changes), so most merges leave every indexed value as it was and
//    are HOT; the queries narrow by bucket and then by the exact time. Free space on each page (fillfactor)
//    keeps the new versions on the page of the old ones.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE incidents
    ADD COLUMN merge_bucket timestamptz GENERATED ALWAYS AS (date_bin('${MERGE_BUCKET}', last_event_at, TIMESTAMPTZ '${INCIDENT_BUCKET_ORIGIN}')) STORED,
    ADD COLUMN stream_bucket timestamptz GENERATED ALWAYS AS (date_bin('${STREAM_BUCKET}', updated_at, TIMESTAMPTZ '${INCIDENT_BUCKET_ORIGIN}')) STORED`);
  await knex.raw('ALTER TABLE incidents SET (fillfactor = 80)');
  await knex.raw('CREATE INDEX incidents_merge_lookup ON incidents (tenant_id, environment, camera_id, type, merge_bucket)');
  await knex.raw('DROP INDEX incidents_tenant_id_camera_id_type_last_event_at_index');
  await knex.raw('CREATE INDEX incidents_lane_lookup ON incidents (tenant_id, environment, lane_id, merge_bucket) WHERE lane_id IS NOT NULL');
  await knex.raw('DROP INDEX incidents_lane_time');
  await knex.raw('DROP INDEX incidents_stream_position');
  // Not led by the environment: an index that matched (tenant, environment) as well as the merge lookup's
  // did would be as cheap to an unanalysed planner, and it took it.
  await knex.raw('CREATE INDEX incidents_stream_position ON incidents (tenant_id, stream_bucket)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX incidents_stream_position');
  await knex.raw('CREATE INDEX incidents_stream_position ON incidents (tenant_id, updated_at, id)');
  await knex.raw('CREATE INDEX incidents_lane_time ON incidents (tenant_id, lane_id, last_event_at) WHERE lane_id IS NOT NULL');
  await knex.raw('DROP INDEX incidents_lane_lookup');
  await knex.raw('CREATE INDEX incidents_tenant_id_camera_id_type_last_event_at_index ON incidents (tenant_id, camera_id, type, last_event_at)');
  await knex.raw('DROP INDEX incidents_merge_lookup');
  await knex.raw('ALTER TABLE incidents RESET (fillfactor)');
  await knex.raw('ALTER TABLE incidents DROP COLUMN stream_bucket, DROP COLUMN merge_bucket');
}
