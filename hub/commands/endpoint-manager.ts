import { AppError, newId } from '../../contracts/index.js';
import { WebhookDelivery, WebhookEndpoint, WebhookMessage } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { mapConfigSecrets, sealHeaders } from '../webhooks/endpoint-secrets.js';
import { notifyDeliveryWorkers } from '../webhooks/delivery-wake.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { newSecret } from '../webhooks/signer.js';
import type { WebhookEventType } from '../webhooks/event-types.js';
import { insertMessage } from '../webhooks/message-writer.js';
import { testMessage } from '../webhooks/test-message.js';

export interface EndpointInput {
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: string[] | undefined;
  format?: string | undefined;
  fullPayload?: boolean | undefined;
  shadowTraffic?: boolean | undefined;
  enabled?: boolean | undefined;
  rateLimitPerSecond?: number | null | undefined;
  headers?: Record<string, string> | undefined;
  taskDueMinutes?: number | undefined;
  servicenow?: Record<string, unknown> | undefined;
  /** New credentials only: merged into the endpoint's ServiceNow configuration (updates of servicenow endpoints). */
  servicenowAuth?: Record<string, unknown> | undefined;
}

// What the audit trail may show of an endpoint: never a secret, a header value nor ServiceNow credentials
// (not even sealed: a record outlives key rotations). Header names stay, so a change of them is visible.
const auditView = (e: WebhookEndpoint) => {
  const servicenow = e.config.servicenow;
  return {
    id: e.id, url: e.url, description: e.description, eventTypes: e.eventTypes, format: e.format, fullPayload: e.fullPayload, shadowTraffic: e.shadowTraffic, enabled: e.enabled,
    disabledReason: e.disabledReason, rateLimitPerSecond: e.rateLimitPerSecond, headerNames: Object.keys(e.headers),
    config: servicenow !== null && typeof servicenow === 'object' ? { ...e.config, servicenow: { ...servicenow, auth: '[redacted]' } } : e.config,
  };
};

type Config = Record<string, unknown>;

/** The config with the changes; only new ServiceNow credentials are sealed here (the previous ones are already). */
function configColumn(input: EndpointInput, box: SecretBox, previousConfig: Config): Config {
  const config = { ...previousConfig };
  const sealed = (servicenow: Config) => mapConfigSecrets({ servicenow }, (v) => box.seal(v)).servicenow as Config;
  if (input.taskDueMinutes !== undefined) config.taskDueMinutes = input.taskDueMinutes;
  if (input.servicenow !== undefined) config.servicenow = sealed(input.servicenow);
  if (input.servicenowAuth !== undefined) config.servicenow = { ...(config.servicenow as Config), auth: sealed({ auth: input.servicenowAuth }).auth };
  return config;
}

function columns(input: EndpointInput, box: SecretBox, previousConfig: Record<string, unknown> = {}): Partial<WebhookEndpoint> {
  const out: Partial<WebhookEndpoint> = {};
  if (input.url !== undefined) out.url = input.url;
  if (input.description !== undefined) out.description = input.description;
  if (input.eventTypes !== undefined) out.eventTypes = [...new Set(input.eventTypes)];
  if (input.format !== undefined) out.format = input.format;
  if (input.fullPayload !== undefined) out.fullPayload = input.fullPayload;
  if (input.shadowTraffic !== undefined) out.shadowTraffic = input.shadowTraffic;
  if (input.enabled !== undefined) out.enabled = input.enabled;
  if (input.rateLimitPerSecond !== undefined) out.rateLimitPerSecond = input.rateLimitPerSecond;
  if (input.headers !== undefined) out.headers = sealHeaders(box, input.headers);
  if (input.taskDueMinutes !== undefined || input.servicenow !== undefined || input.servicenowAuth !== undefined) out.config = configColumn(input, box, previousConfig);
  return out;
}

/** Creates an endpoint; its secret, header values and ServiceNow credentials are stored sealed. */
export async function createEndpoint(ctx: CommandContext, input: EndpointInput, box: SecretBox): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = newSecret();
  const endpoint = await WebhookEndpoint.query(ctx.trx).insertAndFetch({ ...columns(input, box), tenantId: ctx.tenantId, id: newId('webhook'), secret: box.seal(secret) });
  await writeAudit(ctx, { action: 'webhook.created', subjectType: 'Webhook', subjectId: endpoint.id, after: auditView(endpoint) });
  return { endpoint, secret };
}

export async function loadEndpoint(ctx: Pick<CommandContext, 'trx' | 'tenantId'>, id: string, lock = false): Promise<WebhookEndpoint> {
  const query = WebhookEndpoint.forTenant(ctx.trx, ctx.tenantId).findOne({ id });
  const endpoint = await (lock ? query.forUpdate() : query);
  if (!endpoint) throw new AppError('not_found', 'webhook not found');
  return endpoint;
}

export async function updateEndpoint(ctx: CommandContext, before: WebhookEndpoint, input: EndpointInput, box: SecretBox): Promise<WebhookEndpoint> {
  if (input.servicenowAuth !== undefined && (before.format !== 'servicenow' || typeof before.config.servicenow !== 'object')) {
    throw new AppError('unprocessable', 'servicenowAuth is for servicenow endpoints only');
  }
  const patch = columns(input, box, before.config);
  // Re-enabling starts afresh: the reason and the failing streak belonged to the disabled period.
  if (input.enabled === true) Object.assign(patch, { disabledReason: null, failingSince: null });
  const endpoint = await WebhookEndpoint.query(ctx.trx).patchAndFetchById([ctx.tenantId, before.id], { ...patch, updatedAt: new Date() });
  // Credentials are redacted on both sides, so the record says that they were replaced.
  const replaced = input.servicenow !== undefined || input.servicenowAuth !== undefined ? { servicenowCredentialsReplaced: true } : {};
  await writeAudit(ctx, { action: 'webhook.updated', subjectType: 'Webhook', subjectId: endpoint.id, before: auditView(before), after: { ...auditView(endpoint), ...replaced } });
  return endpoint;
}

/** A new secret signs from now on; the previous one keeps signing beside it until the grace ends. */
export async function rotateSecret(ctx: CommandContext, before: WebhookEndpoint, graceMs: number, box: SecretBox): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = newSecret();
  const expires = new Date(Date.now() + graceMs);
  const endpoint = await WebhookEndpoint.query(ctx.trx).patchAndFetchById([ctx.tenantId, before.id], {
    secret: box.seal(secret), previousSecret: graceMs > 0 ? before.secret : null, previousSecretExpiresAt: graceMs > 0 ? expires : null, updatedAt: new Date(),
  });
  await writeAudit(ctx, { action: 'webhook.secret_rotated', subjectType: 'Webhook', subjectId: endpoint.id, after: { previousSecretExpiresAt: graceMs > 0 ? expires.toISOString() : null } });
  return { endpoint, secret };
}

/** Sends one message to the endpoint again, under its original webhook-id. */
export async function resendMessage(ctx: CommandContext, endpointId: string, messageId: string): Promise<string> {
  const message = await WebhookMessage.forTenant(ctx.trx, ctx.tenantId).findOne({ id: messageId });
  if (!message) throw new AppError('not_found', 'message not found');
  const endpoint = await loadEndpoint(ctx, endpointId);
  if (!endpoint.eventTypes.includes(message.eventType)) {
    throw new AppError('unprocessable', `endpoint ${endpointId} is not subscribed to ${message.eventType}`, { details: { eventType: message.eventType } });
  }
  const id = newId('delivery');
  await WebhookDelivery.query(ctx.trx).insert({ tenantId: ctx.tenantId, id, messageId, endpointId });
  await notifyDeliveryWorkers(ctx.trx);
  await writeAudit(ctx, { action: 'webhook.message_resent', subjectType: 'Webhook', subjectId: endpointId, after: { messageId, deliveryId: id } });
  return id;
}

/**
 * Sends an example message of one of the endpoint's event types to this endpoint only (marked `test: true`),
 * through the same queue, signing and formats as real messages. Refused for a disabled endpoint (it would be
 * skipped) and for a type it does not take.
 */
export async function sendTestMessage(ctx: CommandContext, endpointId: string, eventType?: WebhookEventType): Promise<{ messageId: string; eventType: string }> {
  const endpoint = await loadEndpoint(ctx, endpointId);
  if (!endpoint.enabled) throw new AppError('conflict', 'the endpoint is disabled: enable it to send a test message');
  const type = eventType ?? (endpoint.eventTypes[0] as WebhookEventType | undefined);
  if (!type || !endpoint.eventTypes.includes(type)) {
    throw new AppError('unprocessable', `endpoint ${endpointId} is not subscribed to ${type ?? 'any event type'}`, { details: { eventTypes: endpoint.eventTypes } });
  }
  const store = (await ctx.trx('stores').where({ tenant_id: ctx.tenantId }).orderBy('id').first('id')) as { id: string } | undefined;
  const messageId = await insertMessage(ctx.trx, ctx.tenantId, testMessage(type, { endpointId, storeId: store?.id ?? null }), [endpointId]);
  if (!messageId) throw new AppError('internal', 'the test message was not stored');
  await writeAudit(ctx, { action: 'webhook.test_sent', subjectType: 'Webhook', subjectId: endpointId, after: { messageId, eventType: type } });
  return { messageId, eventType: type };
}

/**
 * Puts every failed delivery of the endpoint since `since` (and those skipped while it was disabled) back
 * in the queue with a fresh schedule.
 * Refused beyond the retention window, where attempts and messages may already be gone.
 */
export async function recoverFailed(ctx: CommandContext, endpointId: string, since: Date, windowMs: number): Promise<number> {
  if (Date.now() - since.getTime() > windowMs) {
    throw new AppError('unprocessable', `recover reaches back at most ${Math.round(windowMs / 3_600_000)} hours (delivery retention)`, { details: { windowMs } });
  }
  const now = new Date();
  const count = await WebhookDelivery.forTenant(ctx.trx, ctx.tenantId)
    .where({ endpoint_id: endpointId })
    .whereIn('status', ['failed', 'skipped'])
    .where('created_at', '>=', since)
    .patch({ status: 'pending', attemptCount: 0, nextAttemptAt: now, updatedAt: now });
  if (count > 0) await notifyDeliveryWorkers(ctx.trx);
  await writeAudit(ctx, { action: 'webhook.recovered', subjectType: 'Webhook', subjectId: endpointId, after: { since: since.toISOString(), deliveries: count } });
  return count;
}
