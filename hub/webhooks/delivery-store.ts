import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { mapConfigSecrets, openHeaders } from './endpoint-secrets.js';
import type { WebhookFormat } from './event-types.js';
import type { SecretBox } from './secret-box.js';

export interface ClaimedDelivery {
  tenantId: string;
  id: string;
  messageId: string;
  endpointId: string;
  /** Attempt number this claim makes (1 = first attempt). */
  attempt: number;
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
  tenant_id: string; id: string; message_id: string; endpoint_id: string; attempt_count: number; event_type: string; subject_id: string | null;
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

/**
 * Claims up to `limit` due deliveries across tenants with FOR UPDATE SKIP LOCKED, so any number of
 * workers share the queue without taking the same row. The claim itself is a lease: it pushes the due
 * time out by `leaseMs`, so a worker that dies mid-attempt leaves the row to be claimed again later
 * (same message id, so the receiver can dedupe). Sealed secrets, header values and credentials are
 * opened here, in the worker's memory only.
 */
export async function claimDue(knex: Knex, limit: number, leaseMs: number, box: SecretBox): Promise<ClaimedDelivery[]> {
  const { rows } = await knex.raw<{ rows: ClaimRow[] }>(
    // now(), not clock_timestamp(): a volatile bound cannot drive the partial index, and the planner then
    // scans the whole queue on every claim when statistics are stale (a freshly filled outbox).
    `WITH due AS (
       SELECT tenant_id, id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_deliveries d
          SET next_attempt_at = clock_timestamp() + make_interval(secs => ?), attempt_count = d.attempt_count + 1, updated_at = clock_timestamp()
         FROM due WHERE d.tenant_id = due.tenant_id AND d.id = due.id
       RETURNING d.tenant_id, d.id, d.message_id, d.endpoint_id, d.attempt_count
     )
     SELECT c.*, m.event_type, m.subject_id, m.data, m.created_at AS message_created_at, e.url, e.format, e.full_payload, e.secret,
            e.previous_secret, e.previous_secret_expires_at, e.enabled, e.rate_limit_per_second, e.headers, e.config, e.failing_since,
            s.allowed_subnets
       FROM claimed c
      CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
       JOIN webhook_messages m ON m.tenant_id = c.tenant_id AND m.id = c.message_id
       JOIN webhook_endpoints e ON e.tenant_id = c.tenant_id AND e.id = c.endpoint_id
       LEFT JOIN webhook_settings s ON s.tenant_id = c.tenant_id`,
    [limit, leaseMs / 1000],
  );
  const now = Date.now();
  return rows.map((r) => ({
    tenantId: r.tenant_id, id: r.id, messageId: r.message_id, endpointId: r.endpoint_id, attempt: r.attempt_count,
    eventType: r.event_type, subjectId: r.subject_id, data: r.data, messageCreatedAt: r.message_created_at, url: r.url, format: r.format,
    fullPayload: r.full_payload,
    secrets: (r.previous_secret && r.previous_secret_expires_at && r.previous_secret_expires_at.getTime() > now ? [r.secret, r.previous_secret] : [r.secret]).map((s) => box.open(s)),
    enabled: r.enabled, rateLimitPerSecond: r.rate_limit_per_second, headers: openHeaders(box, r.headers),
    config: mapConfigSecrets(r.config, (v) => box.open(v)), failingSince: r.failing_since,
    allowedSubnets: subnets(r.allowed_subnets),
  }));
}

export interface AttemptRecord {
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/**
 * Records attempts and moves their deliveries on, many at once in one statement (group commit). Each
 * update is fenced on the attempt number: if a worker's lease ran out and another worker claimed the row
 * meanwhile, only the attempt record lands and the newer claim decides the state.
 */
export async function recordAttempts(knex: Knex, entries: Array<{ d: ClaimedDelivery; attempt: AttemptRecord; next: { status: string; nextAttemptAt: Date | null } }>): Promise<void> {
  if (entries.length === 0) return;
  const attemptRows = entries.map(() => '(?, ?, clock_timestamp(), ?, ?, ?, ?::int, ?, ?::int, ?::int, ?, ?)').join(', ');
  const updateRows = entries.map(() => '(?, ?, ?::int, ?, ?::timestamptz, ?::int)').join(', ');
  await knex.raw(
    `WITH relaxed AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true) AS v),
     a AS (
       INSERT INTO webhook_attempts (tenant_id, id, occurred_at, delivery_id, message_id, endpoint_id, attempt, outcome, status_code, latency_ms, response_excerpt, error)
       VALUES ${attemptRows}
     )
     UPDATE webhook_deliveries AS d
        SET status = v.status, next_attempt_at = coalesce(v.next_at, d.next_attempt_at), last_status_code = v.code, updated_at = clock_timestamp()
       FROM (VALUES ${updateRows}) AS v(tenant_id, id, attempt, status, next_at, code), relaxed
      WHERE d.tenant_id = v.tenant_id AND d.id = v.id AND d.attempt_count = v.attempt`,
    [
      ...entries.flatMap(({ d, attempt }) => [
        d.tenantId, newId('attempt'), d.id, d.messageId, d.endpointId, d.attempt, attempt.outcome, attempt.statusCode, attempt.latencyMs, attempt.responseExcerpt, attempt.error,
      ]),
      ...entries.flatMap(({ d, attempt, next }) => [d.tenantId, d.id, d.attempt, next.status, next.nextAttemptAt, attempt.statusCode]),
    ],
  );
}

export async function recordAttempt(knex: Knex, d: ClaimedDelivery, attempt: AttemptRecord, next: { status: string; nextAttemptAt: Date | null }): Promise<void> {
  await recordAttempts(knex, [{ d, attempt, next }]);
}

/** Gives back a claim without counting it as an attempt (rate limit, or the worker stopping). */
export async function releaseClaim(knex: Knex, d: ClaimedDelivery, dueAt: Date): Promise<void> {
  await knex.raw(
    'UPDATE webhook_deliveries SET attempt_count = attempt_count - 1, next_attempt_at = ? WHERE tenant_id = ? AND id = ? AND attempt_count = ?',
    [dueAt, d.tenantId, d.id, d.attempt],
  );
}

export async function skipDelivery(knex: Knex, d: ClaimedDelivery, reason: string): Promise<void> {
  await recordAttempt(knex, d, { outcome: 'skipped', statusCode: null, latencyMs: 0, responseExcerpt: null, error: reason }, { status: 'skipped', nextAttemptAt: null });
}
