import type { WebhookEndpoint } from '../../../models/index.js';
import { maskHeaders } from '../../webhooks/endpoint-secrets.js';
import type { SecretBox } from '../../webhooks/secret-box.js';
import { iso } from '../common-schemas.js';

/**
 * Never includes a secret: secrets are shown once, by the create and rotate answers only. Custom header
 * values are masked (`••••1234`) for everyone, the creator included after the create answer.
 */
export const presentWebhook = (r: WebhookEndpoint, box: SecretBox) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.eventTypes,
  format: r.format,
  fullPayload: r.fullPayload,
  shadowTraffic: r.shadowTraffic,
  enabled: r.enabled,
  disabledReason: r.disabledReason,
  rateLimitPerSecond: r.rateLimitPerSecond,
  headers: maskHeaders(box, r.headers),
  failingSince: iso(r.failingSince),
  previousSecretExpiresAt: iso(r.previousSecretExpiresAt),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export interface AttemptRow {
  id: string; delivery_id: string; message_id: string; attempt: number; outcome: string; status_code: number | null; latency_ms: number;
  response_excerpt: string | null; error: string | null; occurred_at: Date;
}

export const presentAttempt = (r: AttemptRow) => ({
  id: r.id, deliveryId: r.delivery_id, messageId: r.message_id, attempt: r.attempt, outcome: r.outcome, statusCode: r.status_code,
  latencyMs: r.latency_ms, responseExcerpt: r.response_excerpt, error: r.error, at: r.occurred_at.toISOString(),
});

export interface DeliveryRow {
  id: string; message_id: string; event_type: string; status: string; attempt_count: number; next_attempt_at: Date; last_status_code: number | null; created_at: Date;
}

export const presentDelivery = (r: DeliveryRow) => ({
  id: r.id, messageId: r.message_id, eventType: r.event_type, status: r.status, attemptCount: r.attempt_count,
  nextAttemptAt: r.next_attempt_at.toISOString(), lastStatusCode: r.last_status_code, createdAt: r.created_at.toISOString(),
});
