import { AppError, newId } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { mapConfigSecrets, sealHeaders } from '../webhooks/endpoint-secrets.js';
import { WAKE_CHANNEL } from '../webhooks/event-types.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { newSecret } from '../webhooks/signer.js';

export interface EndpointInput {
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: string[] | undefined;
  format?: string | undefined;
  fullPayload?: boolean | undefined;
  enabled?: boolean | undefined;
  rateLimitPerSecond?: number | null | undefined;
  headers?: Record<string, string> | undefined;
  taskDueMinutes?: number | undefined;
  servicenow?: Record<string, unknown> | undefined;
}

// What the audit trail may show of an endpoint: never a secret, a header value nor ServiceNow credentials
// (not even sealed: a record outlives key rotations). Header names stay, so a change of them is visible.
const auditView = (row: Record<string, unknown>) => {
  const { secret: _s, previous_secret: _p, config, headers, ...rest } = row;
  void _s;
  void _p;
  const headerNames = headers !== null && typeof headers === 'object' ? Object.keys(headers) : [];
  const servicenow = (config as { servicenow?: Record<string, unknown> } | undefined)?.servicenow;
  return { ...rest, headerNames, config: servicenow ? { servicenow: { ...servicenow, auth: '[redacted]' } } : config };
};

function columns(input: EndpointInput, box: SecretBox, previousConfig: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.url !== undefined) out.url = input.url;
  if (input.description !== undefined) out.description = input.description;
  if (input.eventTypes !== undefined) out.event_types = [...new Set(input.eventTypes)];
  if (input.format !== undefined) out.format = input.format;
  if (input.fullPayload !== undefined) out.full_payload = input.fullPayload;
  if (input.enabled !== undefined) out.enabled = input.enabled;
  if (input.rateLimitPerSecond !== undefined) out.rate_limit_per_second = input.rateLimitPerSecond;
  if (input.headers !== undefined) out.headers = JSON.stringify(sealHeaders(box, input.headers));
  if (input.taskDueMinutes !== undefined || input.servicenow !== undefined) {
    const config = { ...previousConfig };
    if (input.taskDueMinutes !== undefined) config.taskDueMinutes = input.taskDueMinutes;
    if (input.servicenow !== undefined) config.servicenow = input.servicenow;
    out.config = JSON.stringify(input.servicenow !== undefined ? mapConfigSecrets(config, (v) => box.seal(v)) : config);
  }
  return out;
}

/** Creates an endpoint; its secret, header values and ServiceNow credentials are stored sealed. */
export async function createEndpoint(ctx: CommandContext, input: EndpointInput, box: SecretBox): Promise<{ row: Record<string, unknown>; secret: string }> {
  const secret = newSecret();
  const [row] = (await ctx.trx('webhook_endpoints')
    .insert({ tenant_id: ctx.tenantId, id: newId('webhook'), secret: box.seal(secret), ...columns(input, box) })
    .returning('*')) as Array<Record<string, unknown>>;
  if (!row) throw new Error('insert returned no row');
  await writeAudit(ctx, { action: 'webhook.created', subjectType: 'Webhook', subjectId: row.id as string, after: auditView(row) });
  return { row, secret };
}

export async function loadEndpoint(ctx: CommandContext, id: string, lock = false): Promise<Record<string, unknown>> {
  const qb = ctx.trx('webhook_endpoints').where({ tenant_id: ctx.tenantId, id }).first();
  const row = (await (lock ? qb.forUpdate() : qb)) as Record<string, unknown> | undefined;
  if (!row) throw new AppError('not_found', 'webhook not found');
  return row;
}

export async function updateEndpoint(ctx: CommandContext, before: Record<string, unknown>, input: EndpointInput, box: SecretBox): Promise<Record<string, unknown>> {
  const patch = columns(input, box, before.config as Record<string, unknown>);
  // Re-enabling starts afresh: the reason and the failing streak belonged to the disabled period.
  if (input.enabled === true) Object.assign(patch, { disabled_reason: null, failing_since: null });
  const [row] = (await ctx.trx('webhook_endpoints')
    .where({ tenant_id: ctx.tenantId, id: before.id as string })
    .update({ ...patch, updated_at: new Date() })
    .returning('*')) as Array<Record<string, unknown>>;
  if (!row) throw new AppError('not_found', 'webhook not found');
  await writeAudit(ctx, { action: 'webhook.updated', subjectType: 'Webhook', subjectId: row.id as string, before: auditView(before), after: auditView(row) });
  return row;
}

/** A new secret signs from now on; the previous one keeps signing beside it until the grace ends. */
export async function rotateSecret(ctx: CommandContext, endpoint: Record<string, unknown>, graceMs: number, box: SecretBox): Promise<{ row: Record<string, unknown>; secret: string }> {
  const secret = newSecret();
  const expires = new Date(Date.now() + graceMs);
  const [row] = (await ctx.trx('webhook_endpoints')
    .where({ tenant_id: ctx.tenantId, id: endpoint.id as string })
    .update({ secret: box.seal(secret), previous_secret: graceMs > 0 ? endpoint.secret : null, previous_secret_expires_at: graceMs > 0 ? expires : null, updated_at: new Date() })
    .returning('*')) as Array<Record<string, unknown>>;
  if (!row) throw new AppError('not_found', 'webhook not found');
  await writeAudit(ctx, { action: 'webhook.secret_rotated', subjectType: 'Webhook', subjectId: row.id as string, after: { previousSecretExpiresAt: graceMs > 0 ? expires.toISOString() : null } });
  return { row, secret };
}

/** Sends one message to the endpoint again, under its original webhook-id. */
export async function resendMessage(ctx: CommandContext, endpointId: string, messageId: string): Promise<string> {
  const message = (await ctx.trx('webhook_messages').select('event_type').where({ tenant_id: ctx.tenantId, id: messageId }).first()) as { event_type: string } | undefined;
  if (!message) throw new AppError('not_found', 'message not found');
  const endpoint = await loadEndpoint(ctx, endpointId);
  const eventTypes = endpoint.event_types as string[];
  if (!eventTypes.includes(message.event_type)) {
    throw new AppError('unprocessable', `endpoint ${endpointId} is not subscribed to ${message.event_type}`, { details: { eventType: message.event_type } });
  }
  const id = newId('delivery');
  await ctx.trx('webhook_deliveries').insert({ tenant_id: ctx.tenantId, id, message_id: messageId, endpoint_id: endpointId });
  await ctx.trx.raw('SELECT pg_notify(?, ?)', [WAKE_CHANNEL, '']);
  await writeAudit(ctx, { action: 'webhook.message_resent', subjectType: 'Webhook', subjectId: endpointId, after: { messageId, deliveryId: id } });
  return id;
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
  const count = await ctx.trx('webhook_deliveries')
    .where({ tenant_id: ctx.tenantId, endpoint_id: endpointId })
    .whereIn('status', ['failed', 'skipped'])
    .where('created_at', '>=', since)
    .update({ status: 'pending', attempt_count: 0, next_attempt_at: new Date(), updated_at: new Date() });
  if (count > 0) await ctx.trx.raw('SELECT pg_notify(?, ?)', [WAKE_CHANNEL, '']);
  await writeAudit(ctx, { action: 'webhook.recovered', subjectType: 'Webhook', subjectId: endpointId, after: { since: since.toISOString(), deliveries: count } });
  return count;
}
