import type { Knex } from 'knex';
import {
  createRequest, lookupRequest, parseLookup, parseResponse, serviceNowConfigSchema, updateRequest, type ServiceNowConfig,
} from '../../adapters/ticketing/servicenow/index.js';
import type { ClaimedDelivery } from './delivery-store.js';
import type { OutboundResponse, SenderOptions } from './http-sender.js';
import { sendGuarded } from './http-sender.js';
import type { AddressAllowance } from './ssrf-guard.js';
import { TicketLink } from '../../models/index.js';

export interface TicketAttempt {
  /** An earlier message of the same incident is still queued: try again shortly, without an attempt. */
  isDeferred?: boolean;
  response: OutboundResponse;
  isSuccess: boolean;
  isRetryable: boolean;
  note: string | null;
}

const NO_RESPONSE: OutboundResponse = { status: null, headers: {}, body: '', latencyMs: 0, error: null, isBlocked: false };

// Updates must follow the create that made the record: without a sys_id yet, an update waits while an
// earlier message of the same incident is still queued for this endpoint (delivery ids sort by time).
async function hasEarlierPending(knex: Knex, d: ClaimedDelivery): Promise<boolean> {
  if (d.subjectId === null) return false;
  const { rows } = await knex.raw<{ rows: unknown[] }>(
    `SELECT 1 FROM webhook_deliveries x JOIN webhook_messages m ON m.tenant_id = x.tenant_id AND m.id = x.message_id
      WHERE x.tenant_id = ? AND x.endpoint_id = ? AND m.subject_id = ? AND x.status = 'pending' AND x.id < ? LIMIT 1`,
    [d.tenantId, d.endpointId, d.subjectId, d.id],
  );
  return rows.length > 0;
}

/**
 * Whether an earlier attempt of this delivery may have created the record without our knowing: it got
 * no answer (timeout, reset), or its worker died mid-request (`interrupted`, or still `sending`).
 */
async function mayHaveCreated(knex: Knex, d: ClaimedDelivery): Promise<boolean> {
  const unanswered = (await knex('webhook_attempts')
    .select('id')
    .where({ tenant_id: d.tenantId, endpoint_id: d.endpointId, delivery_id: d.id })
    .whereNot('id', d.attemptId)
    .whereNull('status_code')
    .whereNot('outcome', 'skipped')
    .first()) as { id: string } | undefined;
  return unanswered !== undefined;
}

async function storeLink(knex: Knex, d: ClaimedDelivery, subject: string, sysId: string): Promise<void> {
  await TicketLink.query(knex).insert({ tenantId: d.tenantId, endpointId: d.endpointId, subjectId: subject, externalId: sysId }).onConflict(['tenant_id', 'endpoint_id', 'subject_id']).ignore();
}

/** Looks for the record an unanswered create may have made, by correlation_id; a found one is linked. */
async function findEarlierCreate(knex: Knex, d: ClaimedDelivery, config: ServiceNowConfig, subject: string, sender: SenderOptions, allow: AddressAllowance): Promise<TicketAttempt | null> {
  const request = lookupRequest(d.url, config, d.data);
  if (request === null) return null;
  const response = await sendGuarded(request, allow, sender);
  if (response.isBlocked) return { response, isSuccess: false, isRetryable: true, note: response.error };
  const result = parseLookup(response.status, response.body);
  // Creating without knowing could open a second ticket: an unanswered lookup is retried instead.
  if (!result.ok) return { response, isSuccess: false, isRetryable: result.retryable, note: result.message };
  if (result.found === null) return null;
  await storeLink(knex, d, subject, result.found.sysId);
  const name = result.found.number ? `ServiceNow ${result.found.number} (${result.found.sysId})` : result.found.sysId;
  return { response, isSuccess: true, isRetryable: false, note: `${name} found by correlation_id after an unanswered create` };
}

/**
 * One attempt against a ServiceNow instance: the first message of an incident creates a record and
 * stores its sys_id; later messages update that record. A create retried after an unknown outcome first
 * looks the record up by correlation_id, so a lost response never opens a second ticket. Runs inside
 * the same engine (claim, retries, attempts, SSRF guard) as any webhook.
 */
export async function serviceNowAttempt(knex: Knex, d: ClaimedDelivery, sender: SenderOptions, allow: AddressAllowance): Promise<TicketAttempt> {
  const config = serviceNowConfigSchema.parse(d.config.servicenow ?? {});
  const subject = d.subjectId ?? d.messageId;
  const link = await TicketLink.query(knex).findById([d.tenantId, d.endpointId, subject]);
  const sysId = link?.externalId;
  if (!sysId && (await hasEarlierPending(knex, d))) {
    return { isDeferred: true, response: NO_RESPONSE, isSuccess: false, isRetryable: true, note: null };
  }
  if (!sysId && (await mayHaveCreated(knex, d))) {
    const found = await findEarlierCreate(knex, d, config, subject, sender, allow);
    if (found) return found;
  }
  const request = sysId ? updateRequest(d.url, config, sysId, d.eventType, d.data) : createRequest(d.url, config, d.data);
  const response = await sendGuarded(request, allow, sender);
  if (response.isBlocked) return { response, isSuccess: false, isRetryable: true, note: response.error };
  const result = parseResponse(response.status, response.body);
  if (!result.ok) return { response, isSuccess: false, isRetryable: result.retryable, note: result.message };
  if (!sysId) await storeLink(knex, d, subject, result.sysId);
  return { response, isSuccess: true, isRetryable: false, note: result.number ? `ServiceNow ${result.number} (${result.sysId})` : result.sysId };
}
