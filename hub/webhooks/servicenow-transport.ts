import type { Knex } from 'knex';
import { createRequest, parseResponse, serviceNowConfigSchema, updateRequest } from '../../adapters/ticketing/servicenow/index.js';
import type { ClaimedDelivery } from './delivery-store.js';
import type { OutboundResponse, SenderOptions } from './http-sender.js';
import { sendGuarded } from './http-sender.js';
import type { AddressAllowance } from './ssrf-guard.js';

export interface TicketAttempt {
  /** An earlier message of the same incident is still queued: try again shortly, without an attempt. */
  isDeferred?: boolean;
  response: OutboundResponse;
  isSuccess: boolean;
  isRetryable: boolean;
  note: string | null;
}

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
 * One attempt against a ServiceNow instance: the first message of an incident creates a record and
 * stores its sys_id; later messages update that record. Runs inside the same engine (claim, retries,
 * attempts, SSRF guard) as any webhook.
 */
export async function serviceNowAttempt(knex: Knex, d: ClaimedDelivery, sender: SenderOptions, allow: AddressAllowance): Promise<TicketAttempt> {
  const config = serviceNowConfigSchema.parse(d.config.servicenow ?? {});
  const subject = d.subjectId ?? d.messageId;
  const { rows } = await knex.raw<{ rows: Array<{ external_id: string }> }>(
    'SELECT external_id FROM ticket_links WHERE tenant_id = ? AND endpoint_id = ? AND subject_id = ?',
    [d.tenantId, d.endpointId, subject],
  );
  const sysId = rows[0]?.external_id;
  if (!sysId && (await hasEarlierPending(knex, d))) {
    return { isDeferred: true, response: { status: null, headers: {}, body: '', latencyMs: 0, error: null, isBlocked: false }, isSuccess: false, isRetryable: true, note: null };
  }
  const request = sysId ? updateRequest(d.url, config, sysId, d.eventType, d.data) : createRequest(d.url, config, d.data);
  const response = await sendGuarded(request, allow, sender);
  if (response.isBlocked) return { response, isSuccess: false, isRetryable: true, note: response.error };
  const result = parseResponse(response.status, response.body);
  if (!result.ok) return { response, isSuccess: false, isRetryable: result.retryable, note: result.message };
  if (!sysId) {
    await knex.raw(
      'INSERT INTO ticket_links (tenant_id, endpoint_id, subject_id, external_id) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, endpoint_id, subject_id) DO NOTHING',
      [d.tenantId, d.endpointId, subject, result.sysId],
    );
  }
  return { response, isSuccess: true, isRetryable: false, note: result.number ? `ServiceNow ${result.number} (${result.sysId})` : result.sysId };
}
