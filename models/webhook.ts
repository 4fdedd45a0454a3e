import { TenantModel } from './base-model.js';

/** A webhook endpoint. `secret`, `previousSecret`, header values and ServiceNow credentials are stored sealed. */
export class WebhookEndpoint extends TenantModel {
  static override tableName = 'webhook_endpoints';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['headers', 'config'];
  url!: string;
  description!: string;
  eventTypes!: string[];
  format!: string;
  fullPayload!: boolean;
  secret!: string;
  previousSecret!: string | null;
  previousSecretExpiresAt!: Date | null;
  enabled!: boolean;
  disabledReason!: string | null;
  rateLimitPerSecond!: number | null;
  headers!: Record<string, string>;
  config!: Record<string, unknown>;
  failingSince!: Date | null;
  /** Receives the incidents of programs in shadow mode (and only those endpoints do). */
  shadowTraffic!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}

/** One message of the outbox; its deliveries fan it out to endpoints. */
export class WebhookMessage extends TenantModel {
  static override tableName = 'webhook_messages';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['data'];
  eventType!: string;
  subjectId!: string | null;
  data!: Record<string, unknown>;
  createdAt!: Date;
}

/** One message for one endpoint, through pending -> succeeded | failed | aborted | skipped (held). */
export class WebhookDelivery extends TenantModel {
  static override tableName = 'webhook_deliveries';
  static override idColumn = ['tenant_id', 'id'];
  messageId!: string;
  endpointId!: string;
  status!: 'pending' | 'succeeded' | 'failed' | 'aborted' | 'skipped';
  attemptCount!: number;
  nextAttemptAt!: Date;
  lastStatusCode!: number | null;
  createdAt!: Date;
  updatedAt!: Date;
}
