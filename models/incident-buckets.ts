// The coarse times the incidents' indexes hold instead of the exact ones (migration 20261213000100): a
// merge that moves `last_event_at` or `updated_at` within a bucket changes no indexed value, so it is a HOT
// update. A query narrows by bucket (`merge_bucket >= bucket of t` holds for every row with
// `last_event_at >= t`) and then by the exact time.

/** The transaction's environment as row-level security and new rows' defaults read it (production when unbound). */
export const BOUND_ENVIRONMENT_SQL = `coalesce(nullif(current_setting('vigil.environment', true), ''), 'production')`;

export const INCIDENT_BUCKET_ORIGIN = '2001-01-01 00:00:00+00';
/** `merge_bucket`: `last_event_at` floored to this. */
export const MERGE_BUCKET = '15 minutes';
/** `stream_bucket`: `updated_at` floored to this (the live stream's index). */
export const STREAM_BUCKET = '10 seconds';

/** SQL for the merge bucket of a timestamptz expression (a `?` binding, a column). */
export const mergeBucketOf = (expression: string): string => `date_bin('${MERGE_BUCKET}', ${expression}, TIMESTAMPTZ '${INCIDENT_BUCKET_ORIGIN}')`;
/** SQL for the stream bucket of a timestamptz expression. */
export const streamBucketOf = (expression: string): string => `date_bin('${STREAM_BUCKET}', ${expression}, TIMESTAMPTZ '${INCIDENT_BUCKET_ORIGIN}')`;
