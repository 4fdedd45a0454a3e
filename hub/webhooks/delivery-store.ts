import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { mapConfigSecrets, openHeaders } from './endpoint-secrets.js';
import type { WebhookFormat } from './event-types.js';
import type { SecretBox } from './secret-box.js';

export interface ClaimedDelivery {
  tenantId: string;
  environment: string;
  id: string;
  messageId: string;
  endpointId: string;
  /** Attempt number this claim makes (1 = first attempt): completed attempts + 1, whatever earlier claims did. */
  attempt: number;
  /** The attempt row (outcome `sending`) the claim wrote before anything is sent, and its partition key. */
  attemptId: string;
  attemptStartedAt: Date;
  /** performance.now() by which the lease is certainly over (measured from before the claim was asked for). */
  leaseDeadline: number;
  eventType: string;
  subjectId: string | null;
  data: Record<string, unknown>;
  messageCreatedAt: Date;
  url: string;
  format: WebhookFormat;
  fullPayload: boolean;
  secrets: string[];
  enabled: boolean;
  rateLimitPerSecond: number | null;
  headers: Record<string, string>;
  config: Record<string, unknown>;
  failingSince: Date | null;
  allowedSubnets: string[];
}

interface ClaimRow {
  tenant_id: string; environment: string; id: string; message_id: string; endpoint_id: string; attempt_count: number; lease_attempt_id: string; lease_started_at: Date;
  event_type: string; subject_id: string | null;
  data: Record<string, unknown>; message_created_at: Date; url: string; format: WebhookFormat; full_payload: boolean; secret: string;
  previous_secret: string | null; previous_secret_expires_at: Date | null; enabled: boolean; rate_limit_per_second: number | null;
  headers: Record<string, string>; config: Record<string, unknown>; failing_since: Date | null; allowed_subnets: string[] | string | null;
}

// pg hands back cidr[] as an array; PGlite may hand back its text form '{a,b}'.
const subnets = (value: ClaimRow['allowed_subnets']): string[] =>
  value === null ? [] : Array.isArray(value) ? value : value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);

// Claims and attempt records commit with synchronous_commit off (set inside the statement, so it costs no
// extra round trip): a commit lost to a database crash only means a delivery is sent again under the same
// webhook-id, which at-least-once delivery allows; waiting for a WAL flush per delivery would cap the rate.

export interface ClaimRequest {
  /** Free sending slots: a claimed delivery is sent at once, never parked in a buffer while its lease runs. */
  limit: number;
  leaseMs: number;
  /** webhook_workers.id of the claiming worker. */
  owner: string;
}

// The joins to messages, endpoints and settings are LATERAL ... LIMIT 1 lookups by primary key: a plain join
// let the planner, on a freshly filled outbox with no statistics yet, probe webhook_messages by tenant_id
// alone and filter every message of the tenant for each claimed row (218 ms per claim after 3 rounds).
export const CLAIM_SQL = `WITH due AS (
       SELECT tenant_id, id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED
     ), numbered AS (
       SELECT tenant_id, id, row_number() OVER () AS n, clock_timestamp()::timestamptz(3) AS started_at FROM due
     ), claimed AS (
       UPDATE webhook_deliveries d
          SET lease_owner = ?, lease_expires_at = u.started_at + make_interval(secs => ?), lease_attempt_id = (?::text[])[u.n],
              lease_started_at = u.started_at, updated_at = u.started_at
         FROM numbered u WHERE d.tenant_id = u.tenant_id AND d.id = u.id
       RETURNING d.tenant_id, d.environment, d.id, d.message_id, d.endpoint_id, d.attempt_count, d.lease_attempt_id, d.lease_started_at
     ), sending AS (
       INSERT INTO webhook_attempts (tenant_id, environment, id, occurred_at, delivery_id, message_id, endpoint_id, attempt, outcome, latency_ms)
       SELECT tenant_id, environment, lease_attempt_id, lease_started_at, id, message_id, endpoint_id, attempt_count + 1, 'sending', 0 FROM claimed
     )
     SELECT c.*, m.event_type, m.subject_id, m.data, m.created_at AS message_created_at, e.url, e.format, e.full_payload, e.secret,
            e.previous_secret, e.previous_secret_expires_at, e.enabled, e.rate_limit_per_second, e.headers, e.config, e.failing_since,
            s.allowed_subnets
       FROM claimed c
      CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
      CROSS JOIN LATERAL (SELECT * FROM webhook_messages m WHERE m.tenant_id = c.tenant_id AND m.id = c.message_id LIMIT 1) m
      CROSS JOIN LATERAL (SELECT * FROM webhook_endpoints e WHERE e.tenant_id = c.tenant_id AND e.id = c.endpoint_id LIMIT 1) e
       LEFT JOIN LATERAL (SELECT allowed_subnets FROM webhook_settings s WHERE s.tenant_id = c.tenant_id LIMIT 1) s ON true`;

/**
 * Claims up to `limit` due deliveries across tenants with FOR UPDATE SKIP LOCKED, so any number of
 * workers share the queue without taking the same row. The claim is a lease held by `owner` for
 * `leaseMs`, and in the same statement each claimed delivery's attempt is recorded as `sending`, before
 * any request leaves. The attempt count is not touched: it counts completed attempts, so a re-claim never
 * skips a step of the retry schedule. Sealed secrets, header values and credentials are opened here, in
 * the worker's memory only.
 */
export async function claimDue(knex: Knex, request: ClaimRequest, box: SecretBox): Promise<ClaimedDelivery[]> {
  const askedAt = performance.now();
  const attemptIds = Array.from({ length: request.limit }, () => newId('attempt'));
  const { rows } = await knex.raw<{ rows: ClaimRow[] }>(CLAIM_SQL, [request.limit, request.owner, request.leaseMs / 1000, attemptIds]);
  const now = Date.now();
  return rows.map((r) => ({
    tenantId: r.tenant_id, environment: r.environment, id: r.id, messageId: r.message_id, endpointId: r.endpoint_id, attempt: r.attempt_count + 1,
    attemptId: r.lease_attempt_id, attemptStartedAt: r.lease_started_at, leaseDeadline: askedAt + request.leaseMs,
    eventType: r.event_type, subjectId: r.subject_id, data: r.data, messageCreatedAt: r.message_created_at, url: r.url, format: r.format,
    fullPayload: r.full_payload,
    secrets: (r.previous_secret && r.previous_secret_expires_at && r.previous_secret_expires_at.getTime() > now ? [r.secret, r.previous_secret] : [r.secret]).map((s) => box.open(s)),
    enabled: r.enabled, rateLimitPerSecond: r.rate_limit_per_second, headers: openHeaders(box, r.headers),
    config: mapConfigSecrets(r.config, (v) => box.open(v)), failingSince: r.failing_since,
    allowedSubnets: subnets(r.allowed_subnets),
  }));
}

/** Time left on a claim's lease by the local clock (never more than the database grants). */
export const leaseLeftMs = (d: ClaimedDelivery, at: number = performance.now()): number => d.leaseDeadline - at;

export interface AttemptRecord {
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface AttemptEntry {
  d: ClaimedDelivery;
  attempt: AttemptRecord;
  next: { status: string; nextAttemptAt: Date | null };
}

/**
 * Completes attempts and moves their deliveries on, many at once in one statement (group commit): the
 * `sending` row of each attempt gets its outcome, and the delivery its new state, attempt count and no
 * lease. The delivery update is fenced on the lease's attempt id: if the lease was given up meanwhile (its
 * worker was taken for dead), only the attempt record lands and the newer claim decides the state.
 */
export async function recordAttempts(knex: Knex, entries: readonly AttemptEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(() => '(?, ?, ?, ?::timestamptz, ?::int, ?, ?::timestamptz, ?::int, ?, ?::int, ?, ?)').join(', ');
  await knex.raw(
    `WITH relaxed AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true) AS v),
     v (tenant_id, id, attempt_id, started_at, attempt, status, next_at, code, outcome, latency_ms, excerpt, error) AS (VALUES ${rows}),
     a AS (
       UPDATE webhook_attempts AS a
          SET outcome = v.outcome, status_code = v.code, latency_ms = v.latency_ms, response_excerpt = v.excerpt, error = v.error
         FROM v WHERE a.tenant_id = v.tenant_id AND a.id = v.attempt_id AND a.occurred_at = v.started_at
           AND a.id = ANY(?::text[]) AND a.occurred_at = ANY(?::timestamptz[])
     )
     UPDATE webhook_deliveries AS d
        SET status = v.status, attempt_count = v.attempt, next_attempt_at = coalesce(v.next_at, d.next_attempt_at), last_status_code = v.code,
            lease_owner = NULL, lease_expires_at = NULL, lease_attempt_id = NULL, lease_started_at = NULL, updated_at = clock_timestamp()
       FROM v, relaxed
      WHERE d.tenant_id = v.tenant_id AND d.id = v.id AND d.lease_attempt_id = v.attempt_id AND d.id = ANY(?::text[])`,
    [
      ...entries.flatMap(({ d, attempt, next }) => [
        d.tenantId, d.id, d.attemptId, d.attemptStartedAt, d.attempt, next.status, next.nextAttemptAt, attempt.statusCode,
        attempt.outcome, attempt.latencyMs, attempt.responseExcerpt, attempt.error,
      ]),
      // The keys again as arrays: each table is reached through its primary key (and the attempts' partitions
      // pruned) whatever its statistics say; a hash join with a sequential scan grew with every attempt stored.
      entries.map(({ d }) => d.attemptId), entries.map(({ d }) => d.attemptStartedAt), entries.map(({ d }) => d.id),
    ],
  );
}

export async function recordAttempt(knex: Knex, d: ClaimedDelivery, attempt: AttemptRecord, next: AttemptEntry['next']): Promise<void> {
  await recordAttempts(knex, [{ d, attempt, next }]);
}

/**
 * Gives back a claim that sent nothing (rate limit, an earlier ServiceNow message still queued, a lease too
 * short to send in): the delivery is due at `dueAt`, and its `sending` row is removed, since no attempt was made.
 */
export async function releaseClaim(knex: Knex, d: ClaimedDelivery, dueAt: Date): Promise<void> {
  await knex.raw(
    `WITH released AS (
       UPDATE webhook_deliveries SET next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL, lease_attempt_id = NULL, lease_started_at = NULL
        WHERE tenant_id = ? AND id = ? AND lease_attempt_id = ?
     )
     DELETE FROM webhook_attempts WHERE tenant_id = ? AND id = ? AND occurred_at = ? AND outcome = 'sending'`,
    [dueAt, d.tenantId, d.id, d.attemptId, d.tenantId, d.attemptId, d.attemptStartedAt],
  );
}

export async function skipDelivery(knex: Knex, d: ClaimedDelivery, reason: string): Promise<void> {
  await recordAttempt(knex, d, { outcome: 'skipped', statusCode: null, latencyMs: 0, responseExcerpt: null, error: reason }, { status: 'skipped', nextAttemptAt: null });
}
