import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { withTenant } from '../../models/index.js';
import { writeAudit } from '../audit/index.js';
import type { ClaimedDelivery } from './delivery-store.js';
import { writeMessage } from './message-writer.js';

/**
 * Disables an endpoint, audits it as the system, and tells the tenant's operators through any endpoint
 * subscribed to `endpoint.disabled` (an operations channel), all in one transaction. Idempotent: an
 * endpoint already disabled is left alone.
 */
export async function disableEndpoint(knex: Knex, scope: { tenantId: string; environment: string }, endpointId: string, reason: string, log: Logger): Promise<boolean> {
  const { tenantId, environment } = scope;
  return withTenant(knex, tenantId, { as: 'owner', environment }, async (trx) => {
    const { rows } = await trx.raw<{ rows: Array<{ url: string }> }>(
      'UPDATE webhook_endpoints SET enabled = false, disabled_reason = ?, updated_at = clock_timestamp() WHERE tenant_id = ? AND id = ? AND enabled RETURNING url',
      [reason, tenantId, endpointId],
    );
    if (rows.length === 0) return false;
    const ctx = { actor: { type: 'system' as const, id: 'webhook-worker' }, tenantId, requestId: null, clientAddress: null, trx };
    await writeAudit(ctx, { action: 'webhook.disabled', subjectType: 'Webhook', subjectId: endpointId, before: { enabled: true }, after: { enabled: false, reason } });
    await writeMessage(trx, tenantId, { type: 'endpoint.disabled', subjectId: endpointId, data: { id: endpointId, reason, links: { self: `/v1/webhooks/${endpointId}` } } });
    log.warn({ tenantId, endpointId, reason }, 'webhook endpoint disabled');
    return true;
  });
}

export async function noteSuccess(knex: Knex, d: ClaimedDelivery): Promise<void> {
  if (d.failingSince === null) return;
  await knex.raw('UPDATE webhook_endpoints SET failing_since = NULL WHERE tenant_id = ? AND id = ?', [d.tenantId, d.endpointId]);
}

/** Starts or continues the endpoint's failing streak; a streak older than `disableAfterMs` disables it. */
export async function noteFailure(knex: Knex, d: ClaimedDelivery, disableAfterMs: number, log: Logger): Promise<void> {
  const { rows } = await knex.raw<{ rows: Array<{ failing_since: Date }> }>(
    `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, clock_timestamp())
      WHERE tenant_id = ? AND id = ? AND enabled RETURNING failing_since`,
    [d.tenantId, d.endpointId],
  );
  const since = rows[0]?.failing_since;
  if (since && Date.now() - since.getTime() >= disableAfterMs) {
    await disableEndpoint(knex, d, d.endpointId, `failing continuously since ${since.toISOString()}`, log);
  }
}
