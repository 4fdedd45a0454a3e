/** Message types an endpoint may subscribe to. Adding one is an API change; never rename one. */
export const WEBHOOK_EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.resolved',
  'incident.escalated',
  'evidence.ready',
  'pos.exception',
  'endpoint.disabled',
  'analytics.digest',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_FORMATS = ['standard', 'teams', 'slack', 'servicenow'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The Postgres notification channel that wakes delivery workers when a transaction enqueues. */
export const WAKE_CHANNEL = 'vigil_webhooks';
